SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  (
    NOT (
      "c"."email" IS NULL OR TRIM("c"."email", ' ') COLLATE BINARY = ''
    )
    AND (
      LENGTH(LOWER("c"."email")) >= 12
      AND SUBSTRING(LOWER("c"."email"), LENGTH(LOWER("c"."email")) - 12 + 1, 12) COLLATE BINARY = '@example.com'
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id" AND LOWER("ch1"."channel") COLLATE BINARY = 'sms'
  )
