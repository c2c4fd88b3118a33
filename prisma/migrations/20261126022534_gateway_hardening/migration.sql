-- CreateTable
CREATE TABLE "ToolCallIdempotency" (
    "workspaceId" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "argsHash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "callId" TEXT NOT NULL,
    "result" JSONB,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ToolCallIdempotency_pkey" PRIMARY KEY ("workspaceId","tool","key")
);

-- CreateTable
CREATE TABLE "GatewayRateBucket" (
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "updatedAtMs" DOUBLE PRECISION NOT NULL,
    "granted" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "GatewayRateBucket_pkey" PRIMARY KEY ("key")
);

-- Keys answered before this migration keep their first result (the ToolCall row carried it until now).
INSERT INTO "ToolCallIdempotency" ("workspaceId", "tool", "key", "argsHash", "state", "callId", "result", "leaseUntil", "createdAt")
SELECT DISTINCT ON ("workspaceId", "tool", "idempotencyKey")
       "workspaceId", "tool", "idempotencyKey", "argsHash", 'done', "id", "result", "createdAt", "createdAt"
FROM "ToolCall"
WHERE "idempotencyKey" IS NOT NULL AND "status" = 'ok' AND "result" IS NOT NULL
ORDER BY "workspaceId", "tool", "idempotencyKey", "createdAt" ASC;
