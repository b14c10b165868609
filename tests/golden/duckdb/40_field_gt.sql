SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id" AND LOWER("ch1"."channel") COLLATE C = 'whatsapp'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f2"
    WHERE
      "f2"."customer_id" = "c"."id"
      AND "f2"."field_key" COLLATE C = 'orders'
      AND CASE
        WHEN REGEXP_FULL_MATCH(TRIM("f2"."field_value", ' '), '[+-]?[0-9]+([.][0-9]+)?')
        THEN CAST(TRIM("f2"."field_value", ' ') AS DOUBLE)
      END > CAST(-3 AS DOUBLE)
  )
