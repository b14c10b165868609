SELECT
  COUNT(*) AS "count"
FROM "customers" AS "c"
WHERE
  (
    NOT "c"."gender" IS NULL
    AND LOWER("c"."gender") COLLATE BINARY = ?
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t1"
    WHERE
      "t1"."customer_id" = "c"."id"
      AND LOWER("t1"."tag") COLLATE BINARY = ?
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch2"
    WHERE
      "ch2"."customer_id" = "c"."id"
      AND LOWER("ch2"."channel") COLLATE BINARY = ?
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f3"
    WHERE
      "f3"."customer_id" = "c"."id"
      AND "f3"."field_key" COLLATE BINARY = ?
      AND LOWER(TRIM("f3"."field_value", ' ')) COLLATE BINARY = ?
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i4"
    WHERE
      "i4"."customer_id" = "c"."id"
      AND LOWER("i4"."channel") COLLATE BINARY = ?
      AND DATETIME("i4"."occurred_at") >= DATETIME(?)
  )
-- params: ['female', 'vip', 'whatsapp', 'returningUser', 'true', 'whatsapp', '2026-10-29 12:00:00']
