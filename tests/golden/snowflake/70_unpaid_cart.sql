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
    FROM "CARTS" AS "K2"
    WHERE
      "K2"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("K2"."CHANNEL") = 'whatsapp'
      AND "K2"."ITEM_COUNT" > 0
      AND NOT "K2"."PAID"
  )
