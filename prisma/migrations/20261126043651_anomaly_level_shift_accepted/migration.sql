-- AlterTable
ALTER TABLE "Anomaly" ADD COLUMN     "levelShiftAcceptedAt" TIMESTAMP(3);
