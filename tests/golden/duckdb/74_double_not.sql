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
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'webchat'
  )
  AND NOT NOT "c"."id" IN (
    SELECT
      "i2"."customer_id"
    FROM "interactions" AS "i2"
    WHERE
      NOT "i2"."customer_id" IS NULL
      AND LOWER(UPPER("i2"."channel")) COLLATE C = 'webchat'
      AND "i2"."talked_with_agent"
  )
