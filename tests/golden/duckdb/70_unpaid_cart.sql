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
      "k2"."customer_id"
    FROM "carts" AS "k2"
    WHERE
      NOT "k2"."customer_id" IS NULL
      AND LOWER(UPPER("k2"."channel")) COLLATE C = 'whatsapp'
      AND "k2"."item_count" > 0
      AND NOT "k2"."paid"
  )
