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
      NOT (
        "c"."name" IS NULL OR TRIM("c"."name", ' ') = ''
      )
      AND CHARINDEX('50%', LOWER("c"."name")) > 0
    )
    OR (
      NOT (
        "c"."name" IS NULL OR TRIM("c"."name", ' ') = ''
      )
      AND CHARINDEX('a_b', LOWER("c"."name")) > 0
    )
  )
