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
          AND TRANSLATE(
            LOWER(TRANSLATE("ch1"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'whatsapp'
        )
      )
  )
  AND (
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
          LOWER(
            TRANSLATE(
              REPLACE(
                REPLACE(
                  REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
                  ')',
                  ''
                ),
                '+',
                ''
              ),
              'İ',
              'i'
            ) COLLATE "und-x-icu"
          ),
          'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
          'μisισβθφπκρεвдосттъѣꙋṡι'
        ) COLLATE "C" = '919876543210'
      )
    )
  )
