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
  AND (
    NOT EXISTS(
      SELECT
        1
      FROM "customer_tags" AS "t2"
      WHERE
        "t2"."customer_id" = "c"."id"
        AND (
          "t2"."tag" COLLATE "C" ILIKE 'x'
          OR (
            OCTET_LENGTH("t2"."tag") > 1
            AND OCTET_LENGTH("t2"."tag") <> LENGTH("t2"."tag")
            AND TRANSLATE("t2"."tag", 'İıſK', 'iisk') COLLATE "C" ILIKE 'x'
          )
        )
    )
    OR NOT (
      "c"."name" IS NULL OR TRIM(' ' FROM "c"."name") = ''
    )
  )
  AND NOT NOT (
    EXISTS(
      SELECT
        1
      FROM "customer_tags" AS "t3"
      WHERE
        "t3"."customer_id" = "c"."id"
        AND (
          "t3"."tag" COLLATE "C" ILIKE 'vip'
          OR (
            OCTET_LENGTH("t3"."tag") > 3
            AND OCTET_LENGTH("t3"."tag") <> LENGTH("t3"."tag")
            AND TRANSLATE("t3"."tag", 'İıſK', 'iisk') COLLATE "C" ILIKE 'vip'
          )
        )
    )
    OR (
      EXISTS(
        SELECT
          1
        FROM "customer_tags" AS "t4"
        WHERE
          "t4"."customer_id" = "c"."id"
          AND (
            "t4"."tag" COLLATE "C" ILIKE 'gold'
            OR (
              OCTET_LENGTH("t4"."tag") > 4
              AND OCTET_LENGTH("t4"."tag") <> LENGTH("t4"."tag")
              AND TRANSLATE("t4"."tag", 'İıſK', 'iisk') COLLATE "C" ILIKE 'gold'
            )
          )
      )
      AND NOT (
        NOT "c"."gender" IS NULL
        AND (
          "c"."gender" COLLATE "C" ILIKE 'male'
          OR (
            OCTET_LENGTH("c"."gender") > 4
            AND OCTET_LENGTH("c"."gender") <> LENGTH("c"."gender")
            AND TRANSLATE("c"."gender", 'İıſK', 'iisk') COLLATE "C" ILIKE 'male'
          )
        )
      )
    )
  )
  AND (
    NOT "c"."name" IS NULL
    AND CASE
      WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
      THEN LOWER("c"."name" COLLATE "C")
      ELSE TRANSLATE(
        LOWER(TRANSLATE("c"."name", 'İ', 'i') COLLATE "und-x-icu"),
        'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
        'μisισβθφπκρεвдосттъѣꙋṡι'
      ) COLLATE "C"
    END = 'say "hi" \ it''s	ok é'
  )
