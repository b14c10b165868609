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
          OCTET_LENGTH("ch1"."channel") > 8
          AND OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE("ch1"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
        )
      )
  )
  AND (
    (
      NOT (
        "c"."name" IS NULL OR TRIM(' ' FROM "c"."name") = ''
      )
      AND POSITION(
        '50%_off' IN CASE
          WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
          THEN LOWER("c"."name" COLLATE "C")
          ELSE TRANSLATE(
            LOWER(TRANSLATE("c"."name", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C"
        END
      ) > 0
    )
    OR (
      NOT (
        "c"."name" IS NULL OR TRIM(' ' FROM "c"."name") = ''
      )
      AND SUBSTRING(CASE
        WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
        THEN LOWER("c"."name" COLLATE "C")
        ELSE TRANSLATE(
          LOWER(TRANSLATE("c"."name", 'İ', 'i') COLLATE "und-x-icu"),
          'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
          'μisισβθφπκρεвдосттъѣꙋṡι'
        ) COLLATE "C"
      END FROM 1 FOR 2) = 'as'
    )
    OR (
      NOT (
        "c"."name" IS NULL OR TRIM(' ' FROM "c"."name") = ''
      )
      AND (
        LENGTH(
          CASE
            WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
            THEN LOWER("c"."name" COLLATE "C")
            ELSE TRANSLATE(
              LOWER(TRANSLATE("c"."name", 'İ', 'i') COLLATE "und-x-icu"),
              'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
              'μisισβθφπκρεвдосттъѣꙋṡι'
            ) COLLATE "C"
          END
        ) >= 3
        AND SUBSTRING(CASE
          WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
          THEN LOWER("c"."name" COLLATE "C")
          ELSE TRANSLATE(
            LOWER(TRANSLATE("c"."name", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C"
        END FROM LENGTH(
          CASE
            WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
            THEN LOWER("c"."name" COLLATE "C")
            ELSE TRANSLATE(
              LOWER(TRANSLATE("c"."name", 'İ', 'i') COLLATE "und-x-icu"),
              'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
              'μisισβθφπκρεвдосттъѣꙋṡι'
            ) COLLATE "C"
          END
        ) - 3 + 1 FOR 3) = 'rao'
      )
    )
  )
  AND NOT (
    "c"."email" IS NULL OR TRIM(' ' FROM "c"."email") = ''
  )
  AND NOT (
    NOT "c"."phone" IS NULL
    AND (
      REPLACE(
        REPLACE(
          REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
          ')',
          ''
        ),
        '+',
        ''
      ) COLLATE "C" ILIKE '919876543210'
      OR (
        OCTET_LENGTH(
          REPLACE(
            REPLACE(
              REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
              ')',
              ''
            ),
            '+',
            ''
          )
        ) > 12
        AND OCTET_LENGTH(
          REPLACE(
            REPLACE(
              REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
              ')',
              ''
            ),
            '+',
            ''
          )
        ) <> LENGTH(
          REPLACE(
            REPLACE(
              REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
              ')',
              ''
            ),
            '+',
            ''
          )
        )
        AND TRANSLATE(
          REPLACE(
            REPLACE(
              REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
              ')',
              ''
            ),
            '+',
            ''
          ),
          'İıſK',
          'iisk'
        ) COLLATE "C" ILIKE '919876543210'
      )
    )
  )
  AND (
    (
      NOT "c"."gender" IS NULL
      AND (
        "c"."gender" COLLATE "C" ILIKE 'female'
        OR "c"."gender" COLLATE "C" ILIKE 'other'
        OR (
          OCTET_LENGTH("c"."gender") > 5
          AND OCTET_LENGTH("c"."gender") <> LENGTH("c"."gender")
          AND (
            TRANSLATE("c"."gender", 'İıſK', 'iisk') COLLATE "C" ILIKE 'female'
            OR TRANSLATE("c"."gender", 'İıſK', 'iisk') COLLATE "C" ILIKE 'other'
          )
        )
      )
    )
    OR (
      "c"."gender" IS NULL OR TRIM(' ' FROM "c"."gender") = ''
    )
  )
