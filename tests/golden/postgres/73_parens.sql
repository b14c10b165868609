SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel" COLLATE "und-x-icu") = 'telegram'
  )
  AND (
    EXISTS(
      SELECT
        1
      FROM "customer_tags" AS "t2"
      WHERE
        "t2"."customer_id" = "c"."id" AND LOWER("t2"."tag" COLLATE "und-x-icu") = 'vip'
    )
    OR (
      (
        NOT "c"."gender" IS NULL AND LOWER("c"."gender" COLLATE "und-x-icu") = 'female'
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "carts" AS "k3"
        WHERE
          "k3"."customer_id" = "c"."id"
          AND LOWER("k3"."channel" COLLATE "und-x-icu") = 'telegram'
          AND "k3"."item_count" > 0
          AND NOT "k3"."paid"
      )
    )
  )
