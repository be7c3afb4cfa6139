"""Words that signal check-worthy facts, per language, for :mod:`bot.text.candidates`.

Casefolded word sets (a few big languages each; the union serves every text), stems for the
languages that decline month names, and patterns for the scripts without spaces, searched
inside the run of letters.
"""

from __future__ import annotations

import re

from bot.text.sentences import word_set

MONEY_AND_SCALE = word_set(
    "dollar dollars euro euros pound pounds yen yuan rupee rupees usd eur gbp dólares",
    "hundred thousand million millions billion billions trillion dozen dozens",
    "cent mille milliard milliards hundert tausend millionen milliarde milliarden mio mrd",
    "cien mil millón millones cento mila milioni miliardi milhões bilhões",
    "рублей рубля доллар долларов евро тысяч тысячи миллион миллиона миллионов миллиард",
    "ألف آلاف مليون ملايين مليار دولار جنيه ريال درهم",
    "सौ हज़ार हजार लाख करोड़ रुपये डॉलर",
)
NUMBER_WORDS = word_set(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty",
    "half halve halved twice double doubled triple tripled",
    "deux trois quatre cinq sept huit neuf dix onze douze vingt trente cinquante moitié",
    "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig hälfte doppelt",
    "verdoppelt dos tres cuatro cinco siete ocho nueve diez doce veinte treinta mitad doble",
    "due quattro cinque sette otto dieci venti metà dois duas três oito dez vinte metade dobro",
    "два две три четыре пять шесть семь восемь девять десять двадцать половина вдвое втрое",
    "اثنان اثنين ثلاثة أربعة خمسة عشرة مئة مائة نصف ربع ثلث ضعف",
    "दो तीन चार पांच पाँच दस आधा दोगुना",
)
MONTHS = word_set(
    "january february march april may june july august september october november december",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "januar jänner februar märz juni juli oktober dezember",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre",
    "janeiro fevereiro março maio junho julho setembro outubro novembro dezembro",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
)
TIME_WORDS = word_set(
    "monday tuesday wednesday thursday friday saturday sunday yesterday",
    "lundi mardi mercredi jeudi vendredi samedi dimanche hier",
    "montag dienstag mittwoch donnerstag freitag samstag sonntag gestern",
    "lunes martes miércoles jueves viernes sábado domingo ayer ieri ontem вчера أمس",
)
MARKERS = word_set(
    "first last only largest biggest longest highest lowest oldest smallest most least record",
    "premier première premiers premières dernier dernière seul seule",
    "erste ersten erster erstes letzte letzten einzige größte größten längste längsten höchste",
    "höchsten älteste ältesten meisten primer primera primero último última único única mayor",
    "récord primo ultimo unico maggiore primeiro primeira maior recorde",
    "первый первая первое впервые последний единственный крупнейший самый самая самое",
    "أول أكبر أطول أعلى أكثر أقدم أصغر أقل",
    "पहला पहली पहले सबसे एकमात्र",
)

_HEBREW_MONTHS = word_set("ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר")
# The same for scripts written with spaces that the lists above miss (whole words).
OTHER_MONTHS = word_set(
    "जनवरी फरवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर सितम्बर अक्टूबर नवंबर नवम्बर दिसंबर",
    "दिसम्बर बैशाख वैशाख जेठ असार साउन भदौ असोज कात्तिक मंसिर पुस माघ फागुन चैत",  # hi, ne
    "জানুয়ারি ফেব্রুয়ারি মার্চ এপ্রিল মে জুন জুলাই আগস্ট সেপ্টেম্বর অক্টোবর নভেম্বর ডিসেম্বর",
    "جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر",  # ur
    "መስከረም ጥቅምት ኅዳር ህዳር ታኅሣሥ ታህሳስ ጥር የካቲት መጋቢት ሚያዝያ ግንቦት ሰኔ ሐምሌ ነሐሴ",  # am
    "ιανουαρίου φεβρουαρίου μαρτίου απριλίου μαΐου ιουνίου ιουλίου αυγούστου σεπτεμβρίου",
    "οκτωβρίου νοεμβρίου δεκεμβρίου ιανουάριος φεβρουάριος μάρτιος απρίλιος μάιος ιούνιος",
    "ιούλιος αύγουστος σεπτέμβριος οκτώβριος νοέμβριος δεκέμβριος",
    # Hebrew, bare and with the prepositions ב (in) and ל (to/of) written on the word.
    *(
        " ".join(prefix + month for month in sorted(_HEBREW_MONTHS))
        for prefix in ("", "ב", "ל")
    ),
)
# Georgian and Armenian decline month names ("მარტში", "մարտի"): their first four letters.
MONTH_STEMS = frozenset(
    month[:4]
    for month in word_set(
        "იანვარი თებერვალი მარტი აპრილი მაისი ივნისი ივლისი აგვისტო სექტემბერი ოქტომბერი",
        "ნოემბერი დეკემბერი հունվար փետրվար մարտ ապրիլ մայիս հունիս հուլիս օգոստոս",
        "սեպտեմբեր հոկտեմբեր նոյեմբեր դեկտեմբեր",
    )
)
OTHER_MONEY_AND_SCALE = word_set(
    "লাখ কোটি হাজার টাকা ہزار لاکھ کروڑ ارب روپے खर्ब अर्ब करोड लाख हजार रुपैयाँ",
    "מיליון מיליארד אלף שקל שקלים εκατομμύρια εκατομμύριο δισεκατομμύρια χιλιάδες ευρώ",
    "միլիոն միլիարդ հազար դրամ դոլար მილიონი მილიარდი ათასი ლარი დოლარი ሚሊዮን ቢሊዮን ሺህ ብር ዶላር",
)
OTHER_PERCENT = word_set("শতাংশ فیصد אחוז אחוזים τοις εκατό տոկոս տոկոսով በመቶ")
PERCENT_STEMS = ("პროცენტ",)  # Georgian declines it: "პროცენტით"
# Thai, Lao, Khmer and Burmese write no spaces between words: these are found inside the run.
UNSPACED_MONTH = re.compile(
    "มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|"
    "พฤศจิกายน|ธันวาคม|ม\\.ค\\.|ก\\.พ\\.|มี\\.ค\\.|เม\\.ย\\.|พ\\.ค\\.|มิ\\.ย\\.|ก\\.ค\\.|ส\\.ค\\.|ก\\.ย\\.|"
    "ต\\.ค\\.|พ\\.ย\\.|ธ\\.ค\\.|ມັງກອນ|ກຸມພາ|ມີນາ|ເມສາ|ພຶດສະພາ|ມິຖຸນາ|ກໍລະກົດ|ສິງຫາ|ກັນຍາ|ຕຸລາ|"
    "ພະຈິກ|ທັນວາ|មករា|កុម្ភៈ|មីនា|មេសា|ឧសភា|មិថុនា|កក្កដា|សីហា|កញ្ញា|តុលា|វិច្ឆិកា|ធ្នូ|"
    "ဇန်နဝါရီ|ဖေဖော်ဝါရီ|ဧပြီ|ဇူလိုင်|ဩဂုတ်|စက်တင်ဘာ|အောက်တိုဘာ|နိုဝင်ဘာ|ဒီဇင်ဘာ"
)
UNSPACED_MONEY_AND_SCALE = re.compile(
    "ล้าน|แสน|หมื่น|บาท|ดอลลาร์|ລ້ານ|ກີບ|ໂດລາ|លាន|ពាន់|រៀល|ដុល្លារ|သိန်း|သန်း|ကျပ်|ဒေါ်လာ"
)
UNSPACED_PERCENT = re.compile("ร้อยละ|เปอร์เซ็นต์|ເປີເຊັນ|ສ່ວນຮ້ອຍ|ភាគរយ|ရာခိုင်နှုန်း")
_UNSPACED = "\u0e01-\u0e4e\u0e81-\u0ece\u1000-\u109f\u1780-\u17dd"
_STEMMED = "\u10a0-\u10ff\u2d00-\u2d2f\u0531-\u0587"  # Georgian, Armenian
UNSPACED_SCRIPTS = re.compile(f"[{_UNSPACED}]")
STEMMED_SCRIPTS = re.compile(f"[{_STEMMED}]")
# One scan tells whether a sentence needs either (most sentences need neither).
EITHER_SCRIPTS = re.compile(f"[{_UNSPACED}{_STEMMED}]")
