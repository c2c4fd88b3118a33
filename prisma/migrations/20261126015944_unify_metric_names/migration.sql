-- Data only (no schema change, so written by hand; `pnpm db:migrate:create` reports no changes):
-- every watched series is named by its metric definition key, and stored anomaly values are
-- in the series' own units (docs/decisions/0011-metric-naming.md).

-- Count series were stored on the Anscombe scale 2 sqrt(x + 3/8): back to counts. A forecast or
-- band bound below the value of a zero count (even below 0) stands for 0 events.
UPDATE "Anomaly" SET
  "actual" = CASE WHEN "actual" <= 2 * sqrt(0.375) THEN 0 ELSE round((("actual" / 2) ^ 2 - 0.375)::numeric, 9)::double precision END,
  "expected" = CASE WHEN "expected" <= 2 * sqrt(0.375) THEN 0 ELSE round((("expected" / 2) ^ 2 - 0.375)::numeric, 9)::double precision END,
  "lower" = CASE WHEN "lower" <= 2 * sqrt(0.375) THEN 0 ELSE round((("lower" / 2) ^ 2 - 0.375)::numeric, 9)::double precision END,
  "upper" = CASE WHEN "upper" <= 2 * sqrt(0.375) THEN 0 ELSE round((("upper" / 2) ^ 2 - 0.375)::numeric, 9)::double precision END
WHERE "metric" IN ('failed_payments', 'customer_churn', 'ticket_volume');

UPDATE "Anomaly" SET "metric" = CASE "metric" WHEN 'api_latency_p95_ms' THEN 'latency_p95' WHEN 'api_latency_p50_ms' THEN 'latency_p50' WHEN 'api_errors' THEN 'error_count' WHEN 'api_requests' THEN 'request_count' WHEN 'customer_churn' THEN 'churned_customers' ELSE "metric" END
WHERE "metric" IN ('api_latency_p95_ms', 'api_latency_p50_ms', 'api_errors', 'api_requests', 'customer_churn');

UPDATE "Incident" SET "metrics" = (
  SELECT array_agg(DISTINCT "renamed" ORDER BY "renamed")
  FROM (SELECT CASE "name" WHEN 'api_latency_p95_ms' THEN 'latency_p95' WHEN 'api_latency_p50_ms' THEN 'latency_p50' WHEN 'api_errors' THEN 'error_count' WHEN 'api_requests' THEN 'request_count' WHEN 'customer_churn' THEN 'churned_customers' ELSE "name" END AS "renamed" FROM unnest("Incident"."metrics") AS "name") AS "names"
) WHERE "metrics" && ARRAY['api_latency_p95_ms', 'api_latency_p50_ms', 'api_errors', 'api_requests', 'customer_churn']::text[];

UPDATE "RemediationPolicy" SET "match" = jsonb_set("match", '{metric}', to_jsonb(CASE ("match" ->> 'metric') WHEN 'api_latency_p95_ms' THEN 'latency_p95' WHEN 'api_latency_p50_ms' THEN 'latency_p50' WHEN 'api_errors' THEN 'error_count' WHEN 'api_requests' THEN 'request_count' WHEN 'customer_churn' THEN 'churned_customers' ELSE ("match" ->> 'metric') END))
WHERE "match" ->> 'metric' IN ('api_latency_p95_ms', 'api_latency_p50_ms', 'api_errors', 'api_requests', 'customer_churn');

-- Anomaly and incident triggers of workflows match on the metric: a JSON string equal to an old name becomes the new one.
UPDATE "WorkflowVersion" SET "definition" = replace(replace(replace(replace(replace("definition"::text, '"api_latency_p95_ms"', '"latency_p95"'), '"api_latency_p50_ms"', '"latency_p50"'), '"api_errors"', '"error_count"'), '"api_requests"', '"request_count"'), '"customer_churn"', '"churned_customers"')::jsonb
WHERE "definition"::text ~ '"(api_latency_p95_ms|api_latency_p50_ms|api_errors|api_requests|customer_churn)"';
