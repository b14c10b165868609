SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel") COLLATE BINARY = 'whatsapp'
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i2"
    WHERE
      "i2"."customer_id" = "c"."id"
      AND LOWER("i2"."channel") COLLATE BINARY = 'whatsapp'
      AND (
        DATETIME("i2"."occurred_at") >= DATETIME('2026-11-28 10:30:00')
        OR DATETIME("i2"."occurred_at") >= DATETIME('2026-11-28 11:00:00')
        OR DATETIME("i2"."occurred_at") >= DATETIME('2026-11-14 12:00:00')
        OR DATETIME("i2"."occurred_at") >= DATETIME('2026-11-27 12:00:00')
        OR DATETIME("i2"."occurred_at") >= DATETIME('2026-11-28 11:59:00')
        OR DATETIME("i2"."occurred_at") >= DATETIME('2026-11-28 09:00:00')
        OR DATETIME("i2"."occurred_at") >= DATETIME('2026-11-21 12:00:00')
      )
  )
