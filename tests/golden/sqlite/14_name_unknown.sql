SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  (
    "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE BINARY = ''
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel") COLLATE BINARY = 'whatsapp'
  )
