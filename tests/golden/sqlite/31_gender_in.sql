SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  (
    NOT "c"."gender" IS NULL
    AND LOWER("c"."gender") COLLATE BINARY IN ('female', 'other')
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel") COLLATE BINARY = 'whatsapp'
  )
