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
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'telegram'
  )
  AND (
    "c"."id" IN (
      SELECT
        "t2"."customer_id"
      FROM "customer_tags" AS "t2"
      WHERE
        NOT "t2"."customer_id" IS NULL AND LOWER(UPPER("t2"."tag")) COLLATE C = 'vip'
    )
    OR (
      (
        NOT "c"."gender" IS NULL AND LOWER(UPPER("c"."gender")) COLLATE C = 'female'
      )
      AND NOT "c"."id" IN (
        SELECT
          "k3"."customer_id"
        FROM "carts" AS "k3"
        WHERE
          NOT "k3"."customer_id" IS NULL
          AND LOWER(UPPER("k3"."channel")) COLLATE C = 'telegram'
          AND "k3"."item_count" > 0
          AND NOT "k3"."paid"
      )
    )
  )
