-- CreateTable
CREATE TABLE "ActiveActorDay" (
    "workspaceId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "actorHash" BYTEA NOT NULL,

    CONSTRAINT "ActiveActorDay_pkey" PRIMARY KEY ("workspaceId","day","actorHash")
);
