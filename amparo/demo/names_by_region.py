"""Names as people from each region write them, with the Latin spellings that
registration desks actually produce. (given or family name in its own script, Latin
variants, sex for given names)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    key: str
    script: str
    language: str
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    given: tuple[tuple[str, tuple[str, ...], str], ...]
    family: tuple[tuple[str, tuple[str, ...]], ...]


REGIONS = (
    Region(
        "levant_sudan",
        "Arab",
        "ar",
        ("SYR", "SDN", "IRQ", "YEM"),
        ("ar", "en"),
        given=(
            ("محمد", ("Mohamed", "Muhammad", "Mohammed", "Mohamad"), "M"),
            ("أحمد", ("Ahmed", "Ahmad"), "M"),
            ("خالد", ("Khaled", "Khalid"), "M"),
            ("يوسف", ("Youssef", "Yusuf", "Yousef"), "M"),
            ("عمر", ("Omar", "Umar"), "M"),
            ("حسن", ("Hassan", "Hasan"), "M"),
            ("إبراهيم", ("Ibrahim", "Ebrahim"), "M"),
            ("فاطمة", ("Fatima", "Fatma", "Fatimah"), "F"),
            ("عائشة", ("Aisha", "Aicha", "Ayesha"), "F"),
            ("مريم", ("Maryam", "Mariam"), "F"),
            ("زينب", ("Zainab", "Zeinab"), "F"),
            ("نور", ("Nour", "Noor"), "F"),
        ),
        family=(
            ("الحسن", ("Al Hassan", "Alhassan", "El Hassan")),
            ("الخطيب", ("Al Khatib", "Alkhatib", "El Khatib")),
            ("حداد", ("Haddad", "Hadad")),
            ("صالح", ("Saleh", "Salih")),
            ("النجار", ("Al Najjar", "Alnajjar")),
            ("محمود", ("Mahmoud", "Mahmud")),
            ("عثمان", ("Osman", "Othman", "Uthman")),
            ("إدريس", ("Idris", "Idriss", "Edris")),
        ),
    ),
    Region(
        "afghanistan_iran",
        "Arab",
        "prs",
        ("AFG", "IRN"),
        ("prs", "ps", "fa"),
        given=(
            ("محمدرضا", ("Mohammadreza", "Mohamadreza"), "M"),
            ("علی", ("Ali",), "M"),
            ("مسعود", ("Masoud", "Massoud", "Masood"), "M"),
            ("جواد", ("Javad", "Jawad"), "M"),
            ("زهرا", ("Zahra", "Zahraa"), "F"),
            ("فرشته", ("Fereshteh", "Freshta"), "F"),
            ("شبنم", ("Shabnam",), "F"),
            ("مرضیه", ("Marzieh", "Marziya"), "F"),
        ),
        family=(
            ("حسینی", ("Hosseini", "Husseini", "Hussaini")),
            ("احمدی", ("Ahmadi",)),
            ("رحیمی", ("Rahimi",)),
            ("کریمی", ("Karimi",)),
            ("نوری", ("Noori", "Nouri")),
        ),
    ),
    Region(
        "eritrea",
        "Ethi",
        "ti",
        ("ERI", "ETH"),
        ("ti", "am"),
        given=(
            ("ተስፋይ", ("Tesfay", "Tesfai", "Tesfaye"), "M"),
            ("ዮናስ", ("Yonas", "Yonass"), "M"),
            ("ኣማኑኤል", ("Amanuel", "Emanuel"), "M"),
            ("ሳባ", ("Saba",), "F"),
            ("ሄለን", ("Helen", "Hellen"), "F"),
            ("ሉላ", ("Lula", "Luula"), "F"),
        ),
        family=(
            ("ገብረሚካኤል", ("Gebremichael", "Ghebremichael", "Gebremikael")),
            ("ተኽለ", ("Tekle", "Teklay")),
            ("ሃይለ", ("Haile", "Hayle")),
            ("ብርሃነ", ("Berhane", "Berhani")),
        ),
    ),
    Region(
        "ukraine",
        "Cyrl",
        "uk",
        ("UKR",),
        ("uk", "ru"),
        given=(
            ("Дмитро", ("Dmytro", "Dmitro", "Dmitry"), "M"),
            ("Олександр", ("Oleksandr", "Aleksandr", "Alexander"), "M"),
            ("Андрій", ("Andrii", "Andriy", "Andrey"), "M"),
            ("Олена", ("Olena", "Elena", "Alena"), "F"),
            ("Наталія", ("Nataliia", "Natalia", "Natalya"), "F"),
            ("Юлія", ("Yuliia", "Yulia", "Julia"), "F"),
        ),
        family=(
            ("Шевченко", ("Shevchenko", "Schewtschenko")),
            ("Коваленко", ("Kovalenko", "Kowalenko")),
            ("Бондаренко", ("Bondarenko",)),
            ("Ткаченко", ("Tkachenko", "Tkatchenko")),
            ("Мельник", ("Melnyk", "Melnik")),
        ),
    ),
    Region(
        "central_america",
        "Latn",
        "es",
        ("HND", "GTM", "SLV", "VEN"),
        ("es",),
        given=(
            ("José", ("José", "Jose"), "M"),
            ("Jesús", ("Jesús", "Jesus"), "M"),
            ("Luis", ("Luis", "Luís"), "M"),
            ("María", ("María", "Maria"), "F"),
            ("Sofía", ("Sofía", "Sofia"), "F"),
            ("Yésica", ("Yésica", "Yessica", "Jessica"), "F"),
        ),
        family=(
            ("Hernández", ("Hernández", "Hernandez")),
            ("Pérez", ("Pérez", "Perez")),
            ("López", ("López", "Lopez")),
            ("García", ("García", "Garcia")),
            ("Martínez", ("Martínez", "Martinez")),
        ),
    ),
    Region(
        "west_africa",
        "Latn",
        "fr",
        ("GIN", "SEN", "GMB", "MLI"),
        ("ff", "fr", "wo"),
        given=(
            ("Mamadou", ("Mamadou", "Mamadu"), "M"),
            ("Ousmane", ("Ousmane", "Usman", "Osman"), "M"),
            ("Ibrahima", ("Ibrahima", "Ebrahima"), "M"),
            ("Aminata", ("Aminata", "Aminatta"), "F"),
            ("Fatoumata", ("Fatoumata", "Fatumata"), "F"),
            ("Mariama", ("Mariama", "Mariyama"), "F"),
        ),
        family=(
            ("Diallo", ("Diallo", "Jallow", "Djalo")),
            ("Bah", ("Bah", "Ba")),
            ("Camara", ("Camara", "Kamara")),
            ("Touré", ("Touré", "Toure", "Turay")),
            ("Sow", ("Sow", "Sowe")),
        ),
    ),
)
