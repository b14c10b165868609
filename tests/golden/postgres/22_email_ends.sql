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
      AND LOWER("ch1"."channel" COLLATE "und-x-icu") = 'sms'
  )
  AND (
    NOT (
      "c"."email" IS NULL OR TRIM(' ' FROM "c"."email") = ''
    )
    AND (
      LENGTH(LOWER("c"."email" COLLATE "und-x-icu")) >= 12
      AND SUBSTRING(LOWER("c"."email" COLLATE "und-x-icu") FROM LENGTH(LOWER("c"."email" COLLATE "und-x-icu")) - 12 + 1 FOR 12) = '@example.com'
    )
  )
