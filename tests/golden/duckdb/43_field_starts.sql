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
      "f2"."customer_id"
    FROM "customer_fields" AS "f2"
    WHERE
      NOT "f2"."customer_id" IS NULL
      AND "f2"."field_key" COLLATE C = 'city'
      AND SUBSTRING(LOWER(UPPER(TRIM("f2"."field_value", ' '))), 1, 2) COLLATE C = 'pu'
  )
