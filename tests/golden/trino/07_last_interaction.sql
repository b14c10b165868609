SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id" AND LOWER("ch1"."channel") = 'whatsapp'
  )
  AND (
    (
      EXISTS(
        SELECT
          1
        FROM "interactions" AS "i2"
        WHERE
          "i2"."customer_id" = "c"."id"
          AND LOWER("i2"."channel") = 'whatsapp'
          AND "i2"."occurred_at" < CAST('2026-10-29 12:00:00' AS TIMESTAMP)
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "interactions" AS "i3"
        WHERE
          "i3"."customer_id" = "c"."id"
          AND LOWER("i3"."channel") = 'whatsapp'
          AND "i3"."occurred_at" >= CAST('2026-10-29 12:00:00' AS TIMESTAMP)
      )
    )
    OR (
      EXISTS(
        SELECT
          1
        FROM "interactions" AS "i4"
        WHERE
          "i4"."customer_id" = "c"."id"
          AND LOWER("i4"."channel") = 'whatsapp'
          AND "i4"."occurred_at" >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
          AND "i4"."occurred_at" < CAST('2026-11-16 00:00:00' AS TIMESTAMP)
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "interactions" AS "i5"
        WHERE
          "i5"."customer_id" = "c"."id"
          AND LOWER("i5"."channel") = 'whatsapp'
          AND "i5"."occurred_at" >= CAST('2026-11-16 00:00:00' AS TIMESTAMP)
      )
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i6"
    WHERE
      "i6"."customer_id" = "c"."id"
      AND LOWER("i6"."channel") = 'whatsapp'
      AND "i6"."occurred_at" >= CAST('2026-11-20 09:15:01' AS TIMESTAMP)
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "interactions" AS "i7"
    WHERE
      "i7"."customer_id" = "c"."id"
      AND LOWER("i7"."channel") = 'whatsapp'
      AND "i7"."occurred_at" >= CAST('2026-11-28 10:30:00' AS TIMESTAMP)
  )
