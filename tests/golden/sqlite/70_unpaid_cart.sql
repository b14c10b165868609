SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "carts" AS "k1"
    WHERE
      "k1"."customer_id" = "c"."id"
      AND LOWER("k1"."channel") COLLATE BINARY = 'whatsapp'
      AND "k1"."item_count" > 0
      AND NOT "k1"."paid"
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch2"
    WHERE
      "ch2"."customer_id" = "c"."id"
      AND LOWER("ch2"."channel") COLLATE BINARY = 'whatsapp'
  )
