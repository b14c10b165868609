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
  AND (
    (
      EXISTS(
        SELECT
          1
        FROM "interactions" AS "i2"
        WHERE
          "i2"."customer_id" = "c"."id"
          AND LOWER("i2"."channel") COLLATE BINARY = 'whatsapp'
          AND DATETIME("i2"."occurred_at") < DATETIME('2026-10-29 12:00:00')
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "interactions" AS "i3"
        WHERE
          "i3"."customer_id" = "c"."id"
          AND LOWER("i3"."channel") COLLATE BINARY = 'whatsapp'
          AND DATETIME("i3"."occurred_at") >= DATETIME('2026-10-29 12:00:00')
      )
    )
    OR (
      EXISTS(
        SELECT
          1
        FROM "interactions" AS "i4"
        WHERE
          "i4"."customer_id" = "c"."id"
          AND LOWER("i4"."channel") COLLATE BINARY = 'whatsapp'
          AND DATETIME("i4"."occurred_at") >= DATETIME('2026-11-01 00:00:00')
          AND DATETIME("i4"."occurred_at") < DATETIME('2026-11-16 00:00:00')
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "interactions" AS "i5"
        WHERE
          "i5"."customer_id" = "c"."id"
          AND LOWER("i5"."channel") COLLATE BINARY = 'whatsapp'
          AND DATETIME("i5"."occurred_at") >= DATETIME('2026-11-16 00:00:00')
      )
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i6"
    WHERE
      "i6"."customer_id" = "c"."id"
      AND LOWER("i6"."channel") COLLATE BINARY = 'whatsapp'
      AND DATETIME("i6"."occurred_at") >= DATETIME('2026-11-20 09:15:01')
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "interactions" AS "i7"
    WHERE
      "i7"."customer_id" = "c"."id"
      AND LOWER("i7"."channel") COLLATE BINARY = 'whatsapp'
      AND DATETIME("i7"."occurred_at") >= DATETIME('2026-11-28 10:30:00')
  )
