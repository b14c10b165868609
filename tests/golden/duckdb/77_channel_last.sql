SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  "c"."id" IN (
    SELECT
      "t1"."customer_id"
    FROM "customer_tags" AS "t1"
    WHERE
      NOT "t1"."customer_id" IS NULL AND LOWER(UPPER("t1"."tag")) COLLATE C = 'vip'
  )
  AND "c"."id" IN (
    SELECT
      "ch2"."customer_id"
    FROM "customer_channels" AS "ch2"
    WHERE
      NOT "ch2"."customer_id" IS NULL
      AND LOWER(UPPER("ch2"."channel")) COLLATE C = 'sms'
  )
