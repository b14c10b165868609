SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t1"
    WHERE
      "t1"."customer_id" = "c"."id"
      AND LOWER("t1"."tag") COLLATE BINARY IN ('gold', 'vip')
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch2"
    WHERE
      "ch2"."customer_id" = "c"."id" AND LOWER("ch2"."channel") COLLATE BINARY = 'sms'
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t3"
    WHERE
      "t3"."customer_id" = "c"."id" AND LOWER("t3"."tag") COLLATE BINARY = 'churn'
  )
  AND NOT NOT EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t4"
    WHERE
      "t4"."customer_id" = "c"."id"
  )
