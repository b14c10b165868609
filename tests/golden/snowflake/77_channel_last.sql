SELECT
  "C"."ID" AS "customer_id"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_TAGS" AS "T1"
    WHERE
      "T1"."CUSTOMER_ID" = "C"."ID" AND LOWER("T1"."TAG") = 'vip'
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH2"
    WHERE
      "CH2"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH2"."CHANNEL") = 'sms'
  )
