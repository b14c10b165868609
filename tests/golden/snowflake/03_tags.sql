SELECT
  "C"."ID" AS "customer_id"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH1"
    WHERE
      "CH1"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH1"."CHANNEL") = 'sms'
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_TAGS" AS "T2"
    WHERE
      "T2"."CUSTOMER_ID" = "C"."ID" AND LOWER("T2"."TAG") IN ('gold', 'vip')
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "CUSTOMER_TAGS" AS "T3"
    WHERE
      "T3"."CUSTOMER_ID" = "C"."ID" AND LOWER("T3"."TAG") = 'churn'
  )
  AND NOT NOT EXISTS(
    SELECT
      1
    FROM "CUSTOMER_TAGS" AS "T4"
    WHERE
      "T4"."CUSTOMER_ID" = "C"."ID"
  )
