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
      AND (
        "ch1"."channel" COLLATE "C" ILIKE 'whatsapp'
        OR (
          OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND LOWER("ch1"."channel" COLLATE "und-x-icu") = 'whatsapp'
        )
      )
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t2"
    WHERE
      "t2"."customer_id" = "c"."id"
      AND (
        "t2"."tag" COLLATE "C" ILIKE 'vip'
        OR (
          OCTET_LENGTH("t2"."tag") <> LENGTH("t2"."tag")
          AND LOWER("t2"."tag" COLLATE "und-x-icu") = 'vip'
        )
      )
  )
