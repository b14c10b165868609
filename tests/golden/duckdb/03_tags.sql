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
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'sms'
  )
  AND "c"."id" IN (
    SELECT
      "t2"."customer_id"
    FROM "customer_tags" AS "t2"
    WHERE
      NOT "t2"."customer_id" IS NULL
      AND LOWER(UPPER("t2"."tag")) COLLATE C IN ('gold', 'vip')
  )
  AND NOT "c"."id" IN (
    SELECT
      "t3"."customer_id"
    FROM "customer_tags" AS "t3"
    WHERE
      NOT "t3"."customer_id" IS NULL AND LOWER(UPPER("t3"."tag")) COLLATE C = 'churn'
  )
  AND NOT NOT "c"."id" IN (
    SELECT
      "t4"."customer_id"
    FROM "customer_tags" AS "t4"
    WHERE
      NOT "t4"."customer_id" IS NULL
  )
