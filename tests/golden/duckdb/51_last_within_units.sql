SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  "c"."id" IN (
    SELECT
      "ch1"."customer_id"
    FROM "customer_channels" AS "ch1"
    WHERE
      NOT "ch1"."customer_id" IS NULL AND LOWER("ch1"."channel") COLLATE C = 'whatsapp'
  )
  AND (
    "c"."id" IN (
      SELECT
        "i2"."customer_id"
      FROM "interactions" AS "i2"
      WHERE
        NOT "i2"."customer_id" IS NULL
        AND LOWER("i2"."channel") COLLATE C = 'whatsapp'
        AND "i2"."occurred_at" >= CAST('2026-11-28 10:30:00' AS TIMESTAMP)
    )
    OR "c"."id" IN (
      SELECT
        "i3"."customer_id"
      FROM "interactions" AS "i3"
      WHERE
        NOT "i3"."customer_id" IS NULL
        AND LOWER("i3"."channel") COLLATE C = 'whatsapp'
        AND "i3"."occurred_at" >= CAST('2026-11-28 11:00:00' AS TIMESTAMP)
    )
    OR "c"."id" IN (
      SELECT
        "i4"."customer_id"
      FROM "interactions" AS "i4"
      WHERE
        NOT "i4"."customer_id" IS NULL
        AND LOWER("i4"."channel") COLLATE C = 'whatsapp'
        AND "i4"."occurred_at" >= CAST('2026-11-14 12:00:00' AS TIMESTAMP)
    )
    OR "c"."id" IN (
      SELECT
        "i5"."customer_id"
      FROM "interactions" AS "i5"
      WHERE
        NOT "i5"."customer_id" IS NULL
        AND LOWER("i5"."channel") COLLATE C = 'whatsapp'
        AND "i5"."occurred_at" >= CAST('2026-11-27 12:00:00' AS TIMESTAMP)
    )
    OR "c"."id" IN (
      SELECT
        "i6"."customer_id"
      FROM "interactions" AS "i6"
      WHERE
        NOT "i6"."customer_id" IS NULL
        AND LOWER("i6"."channel") COLLATE C = 'whatsapp'
        AND "i6"."occurred_at" >= CAST('2026-11-28 11:59:00' AS TIMESTAMP)
    )
    OR "c"."id" IN (
      SELECT
        "i7"."customer_id"
      FROM "interactions" AS "i7"
      WHERE
        NOT "i7"."customer_id" IS NULL
        AND LOWER("i7"."channel") COLLATE C = 'whatsapp'
        AND "i7"."occurred_at" >= CAST('2026-11-28 09:00:00' AS TIMESTAMP)
    )
    OR "c"."id" IN (
      SELECT
        "i8"."customer_id"
      FROM "interactions" AS "i8"
      WHERE
        NOT "i8"."customer_id" IS NULL
        AND LOWER("i8"."channel") COLLATE C = 'whatsapp'
        AND "i8"."occurred_at" >= CAST('2026-11-21 12:00:00' AS TIMESTAMP)
    )
  )
