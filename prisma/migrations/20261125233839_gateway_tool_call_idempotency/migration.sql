-- AlterTable
ALTER TABLE "ToolCall" ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "result" JSONB;

-- CreateIndex
CREATE INDEX "ToolCall_workspaceId_tool_idempotencyKey_idx" ON "ToolCall"("workspaceId", "tool", "idempotencyKey");
