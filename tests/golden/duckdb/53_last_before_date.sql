SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  "c"."id" IN (
    SELECT
      "ch1"."customer_id"
    FROM "customer_channels" AS "ch1"
    WHERE
      NOT "ch1"."customer_id" IS NULL
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'whatsapp'
  )
  AND "c"."id" IN (
    SELECT
      "i2"."customer_id"
    FROM "interactions" AS "i2"
    WHERE
      NOT "i2"."customer_id" IS NULL
      AND LOWER(UPPER("i2"."channel")) COLLATE C = 'whatsapp'
    GROUP BY
      "i2"."customer_id"
    HAVING
      MAX("i2"."occurred_at") < CAST('2026-11-01 00:00:00' AS TIMESTAMP)
  )
