SELECT
  "C"."ID" AS "customer_id"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH1"
    WHERE
      "CH1"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH1"."CHANNEL") = 'telegram'
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F2"
    WHERE
      "F2"."CUSTOMER_ID" = "C"."ID"
      AND "F2"."FIELD_KEY" = 'returningUser'
      AND LOWER(TRIM("F2"."FIELD_VALUE", ' ')) = 'true'
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F3"
    WHERE
      "F3"."CUSTOMER_ID" = "C"."ID"
      AND "F3"."FIELD_KEY" = 'city'
      AND CHARINDEX('pun', LOWER(TRIM("F3"."FIELD_VALUE", ' '))) > 0
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F4"
    WHERE
      "F4"."CUSTOMER_ID" = "C"."ID"
      AND "F4"."FIELD_KEY" = 'city'
      AND LOWER(TRIM("F4"."FIELD_VALUE", ' ')) = 'pune'
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F5"
    WHERE
      "F5"."CUSTOMER_ID" = "C"."ID"
      AND "F5"."FIELD_KEY" = 'nickname'
      AND NOT (
        "F5"."FIELD_VALUE" IS NULL OR TRIM("F5"."FIELD_VALUE", ' ') = ''
      )
  )
