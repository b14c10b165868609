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
        "ch1"."channel" COLLATE "C" ILIKE 'sms'
        OR (
          OCTET_LENGTH("ch1"."channel") > 3
          AND OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE("ch1"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'sms'
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
        "t2"."tag" COLLATE "C" ILIKE 'gold'
        OR "t2"."tag" COLLATE "C" ILIKE 'vip'
        OR (
          OCTET_LENGTH("t2"."tag") > 3
          AND OCTET_LENGTH("t2"."tag") <> LENGTH("t2"."tag")
          AND (
            TRANSLATE("t2"."tag", 'İıſK', 'iisk') COLLATE "C" ILIKE 'gold'
            OR TRANSLATE("t2"."tag", 'İıſK', 'iisk') COLLATE "C" ILIKE 'vip'
          )
        )
      )
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t3"
    WHERE
      "t3"."customer_id" = "c"."id"
      AND (
        "t3"."tag" COLLATE "C" ILIKE 'churn'
        OR (
          OCTET_LENGTH("t3"."tag") > 5
          AND OCTET_LENGTH("t3"."tag") <> LENGTH("t3"."tag")
          AND TRANSLATE("t3"."tag", 'İıſK', 'iisk') COLLATE "C" ILIKE 'churn'
        )
      )
  )
  AND NOT NOT EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t4"
    WHERE
      "t4"."customer_id" = "c"."id"
  )
