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
  AND (
    NOT (
      "c"."name" IS NULL OR TRIM(' ' FROM "c"."name") = ''
    )
    AND (
      LENGTH(
        CASE
          WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
          THEN LOWER("c"."name" COLLATE "C")
          ELSE LOWER("c"."name" COLLATE "und-x-icu") COLLATE "C"
        END
      ) >= 3
      AND SUBSTRING(CASE
        WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
        THEN LOWER("c"."name" COLLATE "C")
        ELSE LOWER("c"."name" COLLATE "und-x-icu") COLLATE "C"
      END FROM LENGTH(
        CASE
          WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
          THEN LOWER("c"."name" COLLATE "C")
          ELSE LOWER("c"."name" COLLATE "und-x-icu") COLLATE "C"
        END
      ) - 3 + 1 FOR 3) = 'rao'
    )
  )
