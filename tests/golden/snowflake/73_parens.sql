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
  AND (
    EXISTS(
      SELECT
        1
      FROM "CUSTOMER_TAGS" AS "T2"
      WHERE
        "T2"."CUSTOMER_ID" = "C"."ID" AND LOWER("T2"."TAG") = 'vip'
    )
    OR (
      (
        NOT "C"."GENDER" IS NULL AND LOWER("C"."GENDER") = 'female'
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "CARTS" AS "K3"
        WHERE
          "K3"."CUSTOMER_ID" = "C"."ID"
          AND LOWER("K3"."CHANNEL") = 'telegram'
          AND "K3"."ITEM_COUNT" > 0
          AND NOT "K3"."PAID"
      )
    )
  )
