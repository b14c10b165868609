SELECT
  "C"."ID" AS "customer_id"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH1"
    WHERE
      "CH1"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH1"."CHANNEL") = 'whatsapp'
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F2"
    WHERE
      "F2"."CUSTOMER_ID" = "C"."ID"
      AND "F2"."FIELD_KEY" = 'city'
      AND (
        LENGTH(LOWER(TRIM("F2"."FIELD_VALUE", ' '))) >= 2
        AND SUBSTRING(
          LOWER(TRIM("F2"."FIELD_VALUE", ' ')),
          LENGTH(LOWER(TRIM("F2"."FIELD_VALUE", ' '))) - 2 + 1,
          2
        ) = 'ne'
      )
  )
