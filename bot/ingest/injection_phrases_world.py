"""Instruction-like phrases in Arabic, Persian, Urdu, Hindi, Bengali, Chinese, Japanese, Korean,
Turkish, Indonesian, Vietnamese and Swahili, each in its own script and folded like the text
(see :mod:`bot.ingest.injection_grammar`).

Verb-final languages are matched on their imperative endings (ja して下さい/しろ, ko 하세요/해라,
hi करें/करो, bn করুন/করো, ur کریں/کرو, fa بگیر/کن, tr gel/unut), so the reported forms (無視させた,
무시하라고, अनदेखा करने को कहा, görmezden gelmesini) stay quiet. Verb-first languages (ar, zh,
id, vi, sw) need the order to start a clause, as in English.
"""

from __future__ import annotations

from bot.ingest.injection_grammar import Phrase, override, phrase, said, verb_last

P = phrase
W = str.split
COLON = r" ?[:：]"
DEVA = r"(?![\u0900-\u0963\u0966-\u097f])"  # no Devanagari letter or sign follows (a danda may)
BENG = r"(?![\u0980-\u09ff])"
QUOTED = r"[\"“„«'‘「『][^\"”»'’」』\n]{1,80}[\"”»'’」』]"

AR: list[Phrase] = [
    *override(
        "ar",
        verbs=[*W("تجاهل تجاهلي تجاهلوا انس انسى انسي انسوا اترك اتركي أهمل أهملي تخط تخطى "
                  "ألغ احذف"), "لا تتبع", "لا تتبعي", "لا تلتزم ب", "لا تلتزم", "لا تلتزمي ب",
               "توقف عن اتباع", "تغاض عن", "يجب أن تتجاهل", "عليك أن تتجاهل", "عليك تجاهل",
               "لا تأخذ ب", "لا تعمل ب"],
        strong=W("التعليمات تعليمات الأوامر أوامر التوجيهات توجيهات الإرشادات إرشادات "
                 "المطالبات الموجه موجه المهام"),
        weak=W("القواعد قواعد القيود قيود الضوابط ضوابط المعلومات"),
        own=W("تعليماتك أوامرك توجيهاتك إرشاداتك قواعدك قيودك ضوابطك"),
        quant=W("جميع كل كافة"), det=W("هذه تلك"),
        post_adj=[*W("السابقة الأصلية الأولية الماضية القديمة"), "المعطاة لك", "التي تلقيتها",
                  "الخاصة بالنظام", "السابقة كلها"],
        post_poss=["الخاصة بك"],
        point=["أعلاه", "المذكورة أعلاه", "الواردة أعلاه", "فوق", "السابق ذكرها",
               "الواردة سابقا", "حتى الآن"],
        conj=["و", "أو"],
        follow=W("اكتب اكتبي قل قولي أجب أجيبي اطبع أظهر اعرض ترجم لخص ضع صنف ردد"),
        everything=["كل ما سبق", "ما سبق", "كل شيء", "كل ما ورد أعلاه", "كل ما قيل لك"],
        everything_tail=["أعلاه", "من قبل", "قبل ذلك", "سابقا"]),
    P("new instructions", "ar", W("تعليمات أوامر مهمة توجيهات التعليمات"),
      rf" (?:جديدة|الجديدة|حقيقية){COLON}"),
    P("new instructions", "ar", ["موجه النظام", "رسالة النظام", "تعليمات النظام"], COLON),
    P("new instructions", "ar", W("مهمتك دورك"),
      r" (?:الجديدة |الحقيقية |الوحيدة )?(?:الآن )?(?:هي|هو|:|أن)"),
    P("new instructions", "ar", ["من الآن فصاعدا", "من الآن", "ابتداء من الآن", "بدءا من الآن",
                                 "اعتبارا من الآن"],
      r"[،,]? ?(?:أنت|ستكون|ستتصرف|سترد|ستجيب|يجب أن|عليك أن|لن|لا ت)"),
    P("persona override", "ar", ["أنت الآن", "انت الآن", "أنت لم تعد", "لم تعد"],
      r" (?:\w+ ){0,2}?(?:مساعد|نموذج|ذكاء|خبير|بوت|روبوت|شخص|حر|بلا|دون|مقيدا|dan)"),
    P("persona override", "ar", W("تظاهر تظاهري تظاهروا"), r" (?:بأنك|أنك|بأنكم|بأنكِ|بانك)"),
    P("persona override", "ar", W("تصرف تصرفي تقمص العب العبي مثل"),
      r" ?(?:ك|مثل|وكأنك|على أنك|دور|شخصية)"),
    P("persona override", "ar", W("فعل شغل ادخل"), r" (?:إلى )?وضع (?:المطور|dan|بلا قيود|"
                                                  r"دون قيود|الإدارة)"),
    P("note to AI systems", "ar", W("ملاحظة رسالة تنبيه تعليمات تعليمة إلى"),
      r"(?: إلى| ل| لـ| موجهة إلى| موجهة ل)? ?(?:جميع |كل |أي )?(?:أنظمة |نماذج |مساعدي |برامج |"
      r"نظام |نموذج |مساعد )?(?:الذكاء الاصطناعي|ذكاء اصطناعي|اللغة الكبيرة|المحادثة)"
      r"(?= ?[:：،,!\-(]|$)"),
    P("reveal the system prompt", "ar",
      [*W("اكشف اكشفي أظهر أظهري اعرض اعرضي اطبع أخبرني كرر انسخ أعطني اكتب"), "قل لي"],
      r" (?:لي )?(?:عن )?(?:ب)?(?:(?:موجه|تعليمات|رسالة|أوامر|إعدادات) النظام|تعليماتك|أوامرك|"
      r"قواعدك|إعداداتك|توجيهاتك|كلمة (?:المرور|السر)|(?:ال)?(?:تعليمات|موجه|قواعد|أوامر)"
      r"(?: \w+)? (?:الخاصة بك|الأولية|الأصلية|المخفية|السرية))"),
    P("print exactly", "ar", W("اكتب اكتبي قل قولي اطبع أجب كرر أخرج اعرض ردد"),
      said(r"فقط|حرفيا|بالضبط|العبارة|النص|الكلمة|التالي|الجملة", r"ب?[«\"“']")),
    P("mark every claim as supported", "ar", [*W("صنف صنفي اعتبر اعتبري قيم قيمي عامل علم"),
                                              "ضع علامة"],
      r" (?:على )?(?:كل|جميع|كافة|هذه|هذا)? ?(?:ال)?(?:ادعاءات|ادعاء|مزاعم|تصريحات|معلومات|"
      r"حقائق|مقال|خبر|أرقام)(?: \w+){0,4}? ?(?:على أنها|على أنه|بأنها|بأنه|ك|كـ)? ?(?:صحيحة|صحيح|"
      r"موثوقة|موثوق|مؤكدة|مؤكد|حقيقية|دقيقة|صادقة)"),
    P("mark every claim as supported", "ar", W("قل قولي اكتب أكد صرح أجب"),
      r" (?:إن|أن|بأن) (?:هذا |هذه )?(?:ال)?(?:مقال|خبر|تقرير|ادعاءات|معلومات|أرقام)(?: \w+){0,2}?"
      r" (?:صحيح|صحيحة|موثوق|موثوقة|دقيق|دقيقة|مؤكد|مؤكدة|تم التحقق منه|تم التحقق منها)"),
]

FA: list[Phrase] = [
    verb_last(
        "fa", verbs=[r"(?:را )?(?:نادیده (?:بگیر|بگیرید)|فراموش (?:کن|کنید)|کنار (?:بگذار|"
                     r"بگذارید)|رها (?:کن|کنید)|لغو (?:کن|کنید)|دور (?:بریز|بریزید))(?!\w)",
                     r"(?:را )?(?:در نظر نگیر|در نظر نگیرید|نادیده بگیرید)(?!\w)"],
        quant=["تمام", "همه", "همه‌ی", "همگی"], poss=["تمام"],
        strong=["دستورالعمل‌ها", "دستورالعمل‌های", "دستورالعمل", "دستورات", "دستورهای",
                "دستورها", "پرامپت", "پرامپت‌ها", "فرمان‌ها", "فرمان‌های", "رهنمودها",
                "رهنمودهای", "دستور"],
        weak=["قوانین", "قواعد", "محدودیت‌ها", "محدودیت‌های", "اطلاعات", "قانون‌ها"],
        post=["قبلی", "پیشین", "بالا", "اولیه", "اصلی", "سیستمی", "قبل"],
        post_poss=["خودت", "خود", "تو", "شما", "خودتان"], particle=["را"]),
    P("ignore previous instructions", "fa", ["هر چه", "هرچه", "همه چیز", "آنچه"],
      r"(?: را)? (?:که )?(?:بالا|قبلا|پیش از این|تا الان|تا اینجا)(?: \w+){0,3}? (?:را )?"
      r"(?:نادیده بگیر|فراموش کن|نادیده بگیرید|فراموش کنید)(?!\w)", start=False),
    P("new instructions", "fa", ["دستورالعمل‌های جدید", "دستورات جدید", "دستور جدید",
                                 "وظیفه جدید", "پرامپت سیستم", "پرامپت سیستمی", "پیام سیستم"],
      COLON),
    P("new instructions", "fa", ["وظیفه جدید", "وظیفه‌ی جدید", "وظیفه اصلی", "کار جدید"],
      r" (?:تو|شما|ات)? ?(?:این است|است|:)"),
    P("new instructions", "fa", ["از این به بعد", "از حالا به بعد", "از الان به بعد",
                                 "از این لحظه"],
      r"[،,]? ?(?:تو|شما)(?!\w)"),
    P("persona override", "fa", ["تو اکنون", "تو حالا", "شما اکنون", "شما حالا", "تو دیگر",
                                 "حالا تو"], r" (?:یک |دیگر )?"),
    P("persona override", "fa", ["وانمود کن", "وانمود کنید", "تظاهر کن", "تظاهر کنید"]),
    P("persona override", "fa", ["نقش", "مثل", "مانند"],
      r" (?:\w+ ){1,4}?(?:را بازی کن|را بازی کنید|را ایفا کن|رفتار کن|رفتار کنید)(?!\w)"),
    P("note to AI systems", "fa", W("یادداشت پیام توجه هشدار دستورالعمل"),
      r" (?:برای|به) (?:همه‌ی |همه |تمام )?(?:سیستم‌های |مدل‌های |دستیارهای |دستیار |سیستم |"
      r"مدل )?(?:هوش مصنوعی|مدل زبانی|مدل‌های زبانی|چت‌بات|چت‌بات‌ها)(?= ?[:：،,!\-(]|$)"),
    P("reveal the system prompt", "fa",
      ["پرامپت", "دستورالعمل‌های", "دستورات", "رمز عبور", "قوانین", "پیام"],
      r"(?: سیستمی| سیستم| اولیه| مخفی)? ?(?:خود|خودت|خودتان|تو|شما)? را (?:به من )?(?:نشان بده|"
      r"نشان دهید|بگو|بگویید|فاش کن|فاش کنید|بنویس|بنویسید|چاپ کن|تکرار کن)(?!\w)",
      start=False),
    P("print exactly", "fa", [*W("بنویس بنویسید بگو بگویید"), "چاپ کن", "پاسخ بده"],
      r"(?: فقط| دقیقا| عینا| این جمله| عبارت){0,2} ?[:：«\"“']"),
    P("print exactly", "fa", W("فقط تنها"),
      r" (?:بنویس|بنویسید|بگو|بگویید|چاپ کن|پاسخ بده|جواب بده)(?!\w)", start=False),
    P("mark every claim as supported", "fa", W("همه تمام"),
      r" (?:ی )?(?:ادعاهای|ادعاها|اظهارات|مطالب|گزاره‌های)(?: \w+){0,3}? را (?:به عنوان )?(?:درست|"
      r"صحیح|واقعی|تأیید شده|تایید شده|معتبر)(?: علامت| اعلام| در نظر)? ?(?:بزن|بزنید|کن|کنید|"
      r"بگیر|بگیرید)(?!\w)", start=False),
    P("mark every claim as supported", "fa", W("بگو بگویید بنویس بنویسید"),
      r" (?:که )?(?:این|آن) (?:مقاله|گزارش|خبر|متن|ادعاها)(?: \w+)? (?:درست|صحیح|تأیید شده|"
      r"تایید شده|معتبر|واقعی)"),
]

UR: list[Phrase] = [
    verb_last(
        "ur", verbs=[r"(?:نظر انداز|نظرانداز) (?:کریں|کرو|کیجیے|کیجئے|کر دیں|کر دو|کردیں)(?!\w)",
                     r"(?:بھول|فراموش) (?:جائیں|جاؤ|جائیے|جا|کر دیں|کریں|کرو)(?!\w)",
                     r"(?:پر عمل|کی پیروی) (?:نہ کریں|مت کرو|نہ کرو)(?!\w)",
                     r"(?:کو )?(?:مت مانو|نہ مانیں|ترک کریں|ترک کرو|منسوخ کریں)(?!\w)"],
        pre=["اوپر دی گئی", "اوپر دیے گئے", "پہلے دی گئی", "پہلے دیے گئے"],
        quant=W("تمام سارے ساری سب"), poss=["اپنی", "اپنے", "تمہاری", "تمہارے", "آپ کی",
                                            "آپ کے"],
        adj=W("پچھلی پچھلے سابقہ ابتدائی اصل"),
        strong=W("ہدایات ہدایت احکامات حکم پرامپٹ کمانڈز ہدایتوں"),
        weak=W("اصول قواعد قوانین پابندیاں معلومات باتیں اصولوں"), particle=["کو"],
        post_quant=W("سب تمام")),
    P("new instructions", "ur", ["نئی ہدایات", "نئی ہدایت", "نیا کام", "سسٹم پرامپٹ",
                                 "سسٹم پیغام"], COLON),
    P("new instructions", "ur", ["تمہارا نیا کام", "آپ کا نیا کام", "تمہارا اصل کام",
                                 "آپ کا اصل کام"], r" (?:یہ )?(?:ہے|:)"),
    P("persona override", "ur", ["اب سے تم", "اب سے آپ", "تم اب", "آپ اب", "اب تم", "اب آپ"],
      r" (?:ایک |کوئی )?(?:\w+ ){0,6}?(?:ہو|ہیں)(?!\w)"),
    P("persona override", "ur", ["ہونے کا"], r" (?:ڈرامہ|بہانہ|ناٹک|دکھاوا) (?:کرو|کریں|کیجیے)"
                                            r"(?!\w)", start=False),
    P("persona override", "ur", ["کی طرح", "کا کردار"], r" (?:برتاؤ|سلوک|ادا) (?:کرو|کریں|کیجیے)"
                                                       r"(?!\w)", start=False),
    P("note to AI systems", "ur", ["مصنوعی ذہانت", "اے آئی", "ai"],
      r"(?: کے)? ?(?:نظاموں|نظام|سسٹمز|سسٹم|ماڈلز|ماڈل|اسسٹنٹ)?(?: کے)? (?:لیے|لئے|نام) "
      r"(?:نوٹ|پیغام|ہدایت|ہدایات|اطلاع)(?= ?[:：،,!\-(]|$)", start=False),
    P("reveal the system prompt", "ur", ["اپنا", "اپنی", "اپنے", "تمہارا", "آپ کا", "تمہاری",
                                         "آپ کی"],
      r" (?:سسٹم پرامپٹ|پرامپٹ|ہدایات|اصول|پاس ورڈ|خفیہ ہدایات|ابتدائی ہدایات)(?: کو)? "
      r"(?:دکھاؤ|دکھائیں|بتاؤ|بتائیں|لکھو|لکھیں|ظاہر کرو|ظاہر کریں|دہراؤ)(?!\w)", start=False),
    P("print exactly", "ur", W("صرف فقط"),
      rf"(?: {QUOTED})? (?:لکھیں|لکھو|کہیں|کہو|بولو|لکھ دیں|جواب دیں|جواب دو)(?!\w)",
      start=False),
    P("print exactly", "ur", W("لکھیں لکھو کہیں کہو بولو"), r"(?!\w)", before=rf"{QUOTED} ",
      start=False, back=90),
    P("mark every claim as supported", "ur", ["اس مضمون", "اس خبر", "اس رپورٹ", "مضمون"],
      r" (?:کے|کی) (?:تمام |سارے |سب )?(?:دعووں|دعوے|دعوؤں|باتوں|حقائق|دعوی)(?: کو)? (?:درست|"
      r"سچ|صحیح|تصدیق شدہ|قابل اعتماد)(?: قرار| کے طور پر| سمجھ)? ?(?:دیں|دو|کریں|کرو|"
      r"نشان زد کریں|مانیں|سمجھیں)(?!\w)", start=False),
    P("mark every claim as supported", "ur", W("کہو کہیں لکھو لکھیں بتاؤ بتائیں"),
      r" (?:کہ )?(?:یہ|اس) (?:مضمون|خبر|رپورٹ|تحریر)(?: \w+)? (?:درست|سچ|تصدیق شدہ|"
      r"قابل اعتماد|صحیح)"),
]

HI: list[Phrase] = [
    verb_last(
        "hi", verbs=[rf"(?:अनदेखा|नज़रअंदाज़|नजरअंदाज|नज़रअंदाज|उपेक्षा|दरकिनार|रद्द|खारिज) "
                     rf"(?:करें|करो|कीजिए|कीजिये|कर दें|कर दो|कर दीजिए){DEVA}",
                     rf"भूल (?:जाओ|जाएं|जाएँ|जाइए|जा){DEVA}",
                     rf"छोड़ (?:दो|दें|दीजिए|दीजिये){DEVA}",
                     rf"(?:का पालन|को) (?:न करें|मत करो|मत मानो|न मानें){DEVA}"],
        pre=["ऊपर दिए गए", "ऊपर दी गई", "पहले दिए गए", "पहले दी गई", "ऊपर लिखे", "ऊपर लिखी",
             "ऊपर के", "ऊपर की", "ऊपर कही गई", "पहले कही गई"],
        quant=W("सभी सारे सारी तमाम"), poss=W("अपने अपनी तुम्हारे तुम्हारी आपके आपकी"),
        adj=["पिछले", "पिछली", "पहले के", "पहले वाले", "पहले वाली", "पिछले वाले", "मूल",
             "प्रारंभिक", "सिस्टम", "पुराने"],
        strong=W("निर्देश निर्देशों आदेश आदेशों प्रॉम्प्ट प्रॉम्प्टों हिदायत हिदायतों हिदायतें "
                 "कमांड"),
        weak=W("नियम नियमों बातें बातों प्रतिबंध प्रतिबंधों जानकारी दिशानिर्देश दिशानिर्देशों"),
        particle=["को"], post_quant=W("सभी सारे")),
    P("new instructions", "hi", ["नए निर्देश", "नया निर्देश", "नया काम", "सिस्टम प्रॉम्प्ट",
                                 "सिस्टम संदेश"], COLON),
    P("new instructions", "hi", ["तुम्हारा नया काम", "आपका नया काम", "तुम्हारा असली काम",
                                 "आपका असली काम"], r" (?:यह )?(?:है|:)"),
    P("persona override", "hi", ["अब से तुम", "अब से आप", "तुम अब", "आप अब", "अब तुम", "अब आप"],
      rf" (?:एक )?(?:[^\x20\n]+ ){{0,6}}?(?:हो|हैं){DEVA}"),
    P("persona override", "hi", ["होने का नाटक", "होने का दिखावा", "की तरह व्यवहार",
                                 "की तरह बर्ताव", "की भूमिका"],
      rf" (?:करो|करें|कीजिए|निभाओ|निभाएं|निभाइए){DEVA}", start=False),
    P("note to AI systems", "hi", ["एआई", "ai", "कृत्रिम बुद्धिमत्ता", "भाषा मॉडल"],
      r" ?(?:सिस्टम|मॉडल|सहायक|सिस्टमों|मॉडलों)? (?:के लिए|के नाम) (?:नोट|संदेश|निर्देश|सूचना)"
      r"(?= ?[:：,!\-(]|$)", start=False),
    P("reveal the system prompt", "hi", W("अपना अपने अपनी तुम्हारा आपका"),
      rf" (?:सिस्टम प्रॉम्प्ट|प्रॉम्प्ट|निर्देश|नियम|पासवर्ड|मूल निर्देश|छिपे निर्देश) "
      rf"(?:दिखाओ|दिखाएं|दिखाइए|बताओ|बताएं|बताइए|प्रिंट करो|लिखो|दोहराओ){DEVA}", start=False),
    P("print exactly", "hi", W("केवल सिर्फ बस सिर्फ़"),
      rf"(?: {QUOTED})? (?:ही )?(?:लिखें|लिखो|लिखिए|कहें|कहो|बोलो|छापें|प्रिंट करें|जवाब दें|"
      rf"आउटपुट करें){DEVA}", start=False),
    P("print exactly", "hi", W("लिखें लिखो लिखिए कहें कहो बोलो छापें"), DEVA,
      before=rf"{QUOTED} (?:ही )?", start=False, back=90),
    P("mark every claim as supported", "hi", ["इस लेख", "इस खबर", "इस रिपोर्ट", "लेख"],
      rf" (?:के|की) (?:सभी |सारे |हर )?(?:दावों|दावे|बातों|तथ्यों)(?: को)? (?:सच|सही|सत्य|"
      rf"सत्यापित|प्रमाणित)(?: के रूप में| मानकर)? ?(?:चिह्नित|घोषित|दर्ज|मानें|मानो)? ?(?:करें|"
      rf"करो|कीजिए)?{DEVA}", start=False),
    P("mark every claim as supported", "hi", W("कहो कहें लिखो लिखें बताओ बताएं"),
      r" कि (?:यह|ये|इस) (?:लेख|खबर|रिपोर्ट|दावे)(?: [^\x20\n]+)? (?:सच|सही|सत्यापित|प्रमाणित|भरोसे"
      r"मंद)"),
]

BN: list[Phrase] = [
    verb_last(
        "bn", verbs=[rf"(?:উপেক্ষা|অগ্রাহ্য|অবজ্ঞা|বাতিল) (?:করুন|করো|কর|করে দিন|করে দাও){BENG}",
                     rf"ভুলে (?:যান|যাও|যা){BENG}",
                     rf"(?:মানবেন না|মেনো না|অনুসরণ করবেন না|অনুসরণ কোরো না){BENG}"],
        pre=["উপরের", "ওপরের", "আগে দেওয়া", "উপরে দেওয়া"],
        quant=W("সব সকল সমস্ত"), poss=W("তোমার আপনার তোর"),
        adj=W("আগের পূর্ববর্তী পূর্বের মূল প্রাথমিক সিস্টেম পুরোনো"),
        strong=W("নির্দেশ নির্দেশনা নির্দেশাবলী নির্দেশগুলো আদেশ প্রম্পট কমান্ড"),
        weak=W("নিয়ম নিয়মগুলো বিধিনিষেধ তথ্য"), particle=W("গুলো গুলি কে"),
        post_quant=W("সব সবকিছু")),
    P("new instructions", "bn", ["নতুন নির্দেশ", "নতুন নির্দেশনা", "নতুন কাজ", "সিস্টেম প্রম্পট"],
      COLON),
    P("new instructions", "bn", ["তোমার নতুন কাজ", "আপনার নতুন কাজ"], r" (?:হলো|হল|:)"),
    P("persona override", "bn", ["এখন থেকে তুমি", "এখন থেকে আপনি", "তুমি এখন", "আপনি এখন",
                                 "এখন তুমি"]),
    P("persona override", "bn", ["হওয়ার ভান", "ভান", "মতো আচরণ", "ভূমিকা পালন"],
      rf" (?:করো|করুন|কর){BENG}", start=False),
    P("note to AI systems", "bn", ["এআই", "ai", "কৃত্রিম বুদ্ধিমত্তা", "ভাষা মডেল"],
      r" ?(?:সিস্টেম|মডেল|সহকারী)?(?:গুলোর|ের|র)? জন্য (?:নোট|বার্তা|নির্দেশ|নির্দেশনা|সতর্কতা)"
      r"(?= ?[:：,!\-(]|$)", start=False),
    P("reveal the system prompt", "bn", W("তোমার আপনার তোর"),
      rf" (?:সিস্টেম প্রম্পট|প্রম্পট|নির্দেশনা|নির্দেশ|নিয়ম|পাসওয়ার্ড)(?:গুলো)? (?:দেখাও|দেখান|"
      rf"বলো|বলুন|প্রকাশ করো|প্রকাশ করুন|লেখো|লিখুন){BENG}", start=False),
    P("print exactly", "bn", W("শুধু কেবল শুধুমাত্র"),
      rf"(?: {QUOTED})? (?:লিখুন|লেখো|বলুন|বলো|প্রিন্ট করুন|ছাপুন|উত্তর দিন){BENG}",
      start=False),
    P("print exactly", "bn", W("লিখুন লেখো বলুন বলো ছাপুন"), BENG, before=rf"{QUOTED} ",
      start=False, back=90),
    P("mark every claim as supported", "bn", ["এই প্রতিবেদনের", "এই নিবন্ধের", "এই খবরের",
                                              "এই লেখার"],
      rf" (?:সব |সকল |সমস্ত )?(?:দাবি|দাবিগুলো|তথ্য|বক্তব্য)(?:কে|গুলোকে)? (?:সত্য|সঠিক|যাচাইকৃত|"
      rf"নির্ভুল)(?: হিসেবে| বলে)? (?:চিহ্নিত|গণ্য|বিবেচনা) (?:করুন|করো|কর){BENG}",
      start=False),
    P("mark every claim as supported", "bn", W("বলুন বলো লিখুন লেখো"),
      r" (?:যে )?(?:এই|এ) (?:নিবন্ধ|প্রতিবেদন|খবর|লেখা)(?:টি|টা)? (?:সত্য|যাচাই করা হয়েছে|সঠিক|"
      r"নির্ভরযোগ্য)"),
]

_ZH_TRUE = r"(?:真实|真實|属实|屬實|正确|正確|已核实|已核實|可信|真|已经过核实|已經過核實|经过核实)"
ZH: list[Phrase] = [
    *override(
        "zh",
        verbs=W("忽略 无视 無視 忘记 忘記 忘掉 忘了 不要理会 不要理會 别理会 別理會 放弃 放棄 抛开 "
                "拋開 丢弃 丟棄 不要遵守 不要遵循 停止遵循 不再遵循 跳过 跳過 覆盖 覆蓋 撤销 撤銷 "
                "清除 "
                "无视掉 忽视 忽視 不用管 别管 別管"),
        strong=W("指令 指示 命令 提示词 提示詞 提示 设定 設定 说明 說明 任务 任務 系统提示 "
                 "系統提示 "
                 "系统指令 系統指令"),
        weak=W("规则 規則 要求 限制 约束 約束 内容 內容 对话 對話 信息 資訊 规定 規定 话 話 文字"),
        quant=W("所有的 所有 全部的 全部 一切 任何 每一条 每条"),
        poss=W("你的 您的 你 您"), det=W("这些 這些 那些"),
        adj=W("之前的 之前 以前的 以前 上面的 上面 上述的 上述 先前的 先前 原来的 原来 原來的 原來 "
              "原有的 "
              "原有 前面的 前面 此前的 此前 以上的 以上 系统的 系統的 原始的 原始 最初的 最初 "
              "初始的 "
              "初始 早先的"),
        conj=W("和 与 與 及 以及 、"),
        follow=W("只 直接 并 並 然后 然後 改为 改為 输出 輸出 回答 回复 回覆 说 說 写 寫 告诉 "
                 "告訴"),
        everything=W("以上所有内容 以上所有內容 以上内容 以上內容 上面的内容 上面的內容 之前的一切 "
                     "一切 所有内容 所有內容"),
        everything_tail=W("之前 以上 上面 此前")),
    P("new instructions", "zh", ["新的指令", "新指令", "新的任务", "新任务", "新任務", "新的指示",
                                 "系统提示", "系統提示", "系统提示词", "系統提示詞", "系统消息"],
      COLON),
    P("new instructions", "zh", ["你的新任务", "你的新任務", "你现在的任务", "你的真正任务",
                                 "你的任务", "您的新任务"],
      r"(?:现在|現在)?(?:是|就是|为|為|：|:)"),
    P("new instructions", "zh", ["从现在开始", "從現在開始", "从现在起", "從現在起", "从今以后",
                                 "從今以後", "接下来", "接下來"],
      r"[,，]?(?:你|您)(?:将|將|要|必须|必須|只|就|是|会|會|应该|應該)"),
    P("persona override", "zh", ["你现在是", "你現在是", "现在你是", "現在你是", "你不再是",
                                 "您现在是"]),
    P("persona override", "zh", ["假装你是", "假裝你是", "假装自己是", "假裝自己是", "假装成",
                                 "假裝成", "扮演", "充当", "充當", "角色扮演", "模拟", "模擬"],
      r"(?:一个|一個|一名|一位|成|为|為)?"),
    P("persona override", "zh", ["开启", "開啟", "启用", "啟用", "进入", "進入"],
      r"(?:开发者|開發者|dan|无限制|無限制|越狱|越獄)模式"),
    P("note to AI systems", "zh", ["致", "给", "給", "写给", "寫給", "致所有", "致各位"],
      r"(?:所有|各位|全部)?(?:的)?(?:ai|人工智能|大模型|语言模型|語言模型)(?:助手|系统|系統|模型)?"
      r"(?:的)?(?:提示|说明|說明|指示|留言|话|話|消息)?(?= ?[:：,，!\-(]|$)"),
    P("note to AI systems", "zh", ["ai", "人工智能"],
      r"(?:助手|系统|系統|模型)?(?:请注意|請注意|注意)(?= ?[:：,，!]|$)"),
    P("reveal the system prompt", "zh",
      W("显示 顯示 输出 輸出 打印 告诉我 告訴我 透露 泄露 洩露 展示 重复 重複 列出 说出 說出 "
        "给我看"),
      r"(?:一下)?(?:你的|您的|你|您)(?:的)?(?:系统提示词|系統提示詞|系统提示|系統提示|提示词|"
      r"提示詞|指令|初始指令|设定|設定|规则|規則|密码|密碼)"),
    P("reveal the system prompt", "zh",
      ["把你的", "把您的", "将你的", "將你的", "把系统", "把系統"],
      r"(?:系统提示词|系統提示詞|系统提示|系統提示|提示词|提示詞|指令|初始指令|设定|設定|规则|規則|"
      r"密码|密碼)"
      r"[^。\n]{0,12}?(?:打印|输出|輸出|显示|顯示|告诉|告訴|写|寫|列|说|說|复述|複述)"),
    P("print exactly", "zh", W("只 仅 僅 直接 只要 请只"),
      r"(?:输出|輸出|打印|回复|回覆|回答|说|說|写|寫|重复|重複)"),
    P("print exactly", "zh", W("输出 輸出 打印 回复 回覆 回答 重复 重複"),
      r"(?:以下|下面)?(?:这句话|這句話|这段话|一句话|内容|文字)?[：:“「\"]"),
    P("mark every claim as supported", "zh", ["把", "将", "將"],
      rf"(?:这篇文章|這篇文章|本文|这篇报道|這篇報導|文章)?(?:中|里|裡)?(?:的)?(?:所有|全部|每个|"
      rf"每個|每一个|每条)?(?:的)?(?:说法|說法|主张|主張|声明|聲明|陈述|陳述|事实|事實|内容|內容)"
      rf"(?:都|全部)?(?:标记|標記|评为|評為|判定|认定|認定|视为|視為)(?:为|為|成)?{_ZH_TRUE}"),
    P("mark every claim as supported", "zh", ["说", "說", "回答", "告诉读者", "告訴讀者", "写",
                                              "寫"],
      rf"(?:这篇文章|這篇文章|本文|这篇报道|該文章|文章)(?:是|已|已经|已經)?{_ZH_TRUE}"),
]

_JA_PLEASE = r"(?:ください|下さい|くれ|ね|ちょうだい)"
_JA_END = r"(?=[。．.！!」』\n]|$)"
_JA_LATER = r"(?=[、,][^。\n]{0,80}(?:ください|下さい|しろ|せよ|なさい))"


def _ja_imperative(stem: str) -> str:
    """The imperative forms of a する-verb stem (無視 → 無視してください, 無視しろ, 無視せよ…)."""
    return (rf"{stem}(?:して{_JA_PLEASE}?{_JA_END}|して{_JA_PLEASE}|しろ|せよ|しなさい|すること|"
            rf"して{_JA_LATER})")


JA: list[Phrase] = [
    verb_last(
        "ja", verbs=[_ja_imperative("無視"), _ja_imperative("破棄"), _ja_imperative("リセット"),
                     _ja_imperative("取り消し").replace("取り消しして", "取り消して"),
                     rf"忘れ(?:て{_JA_PLEASE}?{_JA_END}|て{_JA_PLEASE}|ろ|なさい|ること|"
                     rf"て{_JA_LATER})", rf"従わないで{_JA_PLEASE}?", rf"守らないで{_JA_PLEASE}?",
                     r"無視して(?:いい|よい|良い|構わない|かまわない)(?:です|よ)?(?:ので|から|[。、,!！]|$)",
                     r"忘れて(?:いい|よい|良い|構わない|かまわない)(?:です|よ)?(?:ので|から|[。、,!！]|$)"],
        pre=W("上記の 以上の 前述の"),
        poss=W("あなたの 君の お前の"), quant=W("すべての 全ての 全部の あらゆる"),
        adj=W("これまでの 以前の 前の 上記の 上の 先ほどの 最初の 元の 既存の システムの 今までの "
              "過去の それまでの 初期の"),
        strong=W("指示 命令 指令 プロンプト システムプロンプト 設定 指図 タスク"),
        weak=W("ルール 規則 制約 ガイドライン 内容 会話 情報 制限"),
        conj=W("と や 及び"), particle=W("を は も"), post_quant=W("すべて 全て 全部 一切 完全に"),
        back=40),
    P("ignore previous instructions", "ja", W("上記 以上 これまで 前述 ここまで"),
      r"(?:の内容|のこと|の文章|のすべて|の全て)?(?:を|は)?(?:すべて|全て|全部)?"
      rf"(?:{_ja_imperative('無視')}|忘れ(?:て{_JA_PLEASE}?{_JA_END}|て{_JA_PLEASE}|ろ|なさい))",
      start=False),
    P("new instructions", "ja", ["新しい指示", "新たな指示", "新しいタスク", "新しい命令",
                                 "システムプロンプト", "新しいルール"], COLON),
    P("new instructions", "ja", ["あなたの新しい", "君の新しい", "あなたの本当の"],
      r"(?:タスク|任務|役割|仕事|指示)は", start=False),
    P("persona override", "ja", ["今から", "これから", "今後", "これより"],
      r"(?:あなた|君|お前)は", start=False),
    P("persona override", "ja", ["あなたは今から", "君は今から", "あなたはこれから"],
      start=False),
    P("persona override", "ja", ["のふりをして", "のふりをしろ", "として振る舞って",
                                 "として振る舞え",
                                 "になりきって", "を演じて", "の役を演じて", "ロールプレイして"],
      rf"(?:{_JA_PLEASE}|{_JA_END}|[、,])", start=False),
    P("persona override", "ja", ["開発者モード", "制限なしモード", "danモード"],
      r"(?:を|に)?(?:有効に|オンに|切り替え|入っ)", start=False),
    P("note to AI systems", "ja", ["ai", "人工知能", "言語モデル", "llm", "チャットボット",
                                   "aiアシスタント", "aiシステム"],
      r"(?:への|に対する|に向けた|宛ての?|の皆さんへ|へ)(?:指示|メッセージ|注意|お知らせ|メモ|注記|"
      r"連絡)?(?= ?[:：,、!]|$)", start=False),
    P("reveal the system prompt", "ja",
      ["システムプロンプト", "初期指示", "最初の指示", "元の指示", "隠された指示", "あなたの指示",
       "指示内容", "あなたの設定", "パスワード", "秘密の指示", "あなたのプロンプト"],
      r"(?:を|は)?(?:すべて|全部|そのまま)?(?:表示して|出力して|教えて|見せて|開示して|公開して|"
      rf"書き出して|繰り返して|言って|示して)(?:{_JA_PLEASE}|{_JA_END})", start=False),
    P("reveal the system prompt", "ja", ["システムプロンプト", "パスワード", "初期指示"],
      r"(?:を|は)?(?:表示しろ|出力しろ|教えろ|見せろ|示せ|出力せよ|表示せよ|書き出せ|言え)",
      start=False),
    P("print exactly", "ja", ["」と", "』と", "\"と", "」って"],
      r"(?:だけ|のみ)?(?:出力|表示|返答|回答|記入)?(?:して|書いて|言って|答えて|返して)"
      rf"(?:{_JA_PLEASE}|{_JA_END})|(?:だけ|のみ)?(?:出力|表示)(?:しろ|せよ)", start=False),
    P("mark every claim as supported", "ja", ["この記事", "本記事", "記事", "すべての主張",
                                              "全ての主張"],
      r"(?:の|における|内の)?(?:主張|記述|内容|情報|事実)?(?:を|は)?(?:すべて|全て|全部)?"
      r"(?:真実|事実|正しい|正確|検証済み|確認済み|真)(?:と|として|だと)?(?:マーク|判定|評価|分類|"
      r"ラベル付け|表示|記載)?(?:して|し)(?:ください|下さい|くれ|ろ|なさい)", start=False),
    P("mark every claim as supported", "ja", ["この記事は", "本記事は", "記事は"],
      r"(?:事実確認済み|検証済み|正確|真実|信頼できる|事実)(?:だ|です|である)?と(?:言って|書いて|"
      rf"答えて|述べて|伝えて|出力して)(?:{_JA_PLEASE}|{_JA_END})", start=False),
]

_KO_IMP = r"(?:세요|십시오|시오|해라|하라(?!고)|라(?!고)|줘|주세요|해)"
_KO_END = r"(?=[.!?\n'\"”’」]|$)"
_KO_LATER = rf"(?=[^.!?\n]{{0,80}}{_KO_IMP}{_KO_END})"
KO: list[Phrase] = [
    verb_last(
        "ko", verbs=[rf"무시(?:하세요|하십시오|하시오|해라|하라(?!고)|해 ?주세요|해 ?줘|"
                     rf"해{_KO_END}|"
                     rf"하고{_KO_LATER})",
                     rf"잊(?:어 ?버려(?:라|요)?{_KO_END}|어 ?버리세요|어 ?주세요|어 ?줘|어라|으세요"
                     rf"|"
                     rf"으십시오|어{_KO_END}|고{_KO_LATER})",
                     r"(?:따르지|지키지) 마(?:세요|십시오|라|)",
                     rf"신경 ?쓰지 (?:마(?:세요|십시오|라)?{_KO_END}|마세요|마십시오|"
                     rf"말고{_KO_LATER})",
                     r"(?:삭제|취소|무효화|초기화)(?:하세요|하십시오|해라|해 ?주세요)"],
        pre=W("위의 앞의 위에"), poss=["너의", "네", "당신의", "너희의"],
        quant=W("모든 전체"),
        adj=["이전의", "이전", "앞서", "기존의", "기존", "원래의", "원래", "처음의", "처음",
             "지금까지의", "시스템", "초기", "과거의", "앞서 받은", "이전에 받은"],
        strong=["지시", "지시사항", "지시문", "지침", "명령", "명령어", "프롬프트",
                "시스템 프롬프트",
                "설정", "안내", "작업", "과제", "지시들"],
        weak=W("규칙 제약 제한 정보 내용 대화 규정"),
        particle=W("을 를 은 는 들을 들은 도"), post_quant=W("모두 전부 다 전혀")),
    P("new instructions", "ko", ["새로운 지시", "새 지시", "새로운 명령", "새로운 작업",
                                 "새로운 과제", "새로운 임무", "시스템 프롬프트", "새 지시사항"],
      COLON, start=False),
    P("new instructions", "ko", ["너의", "당신의", "네"],
      r" (?:새로운|새|진짜|유일한) (?:임무|작업|과제|역할|지시)(?:는|은)", start=False),
    P("persona override", "ko", ["지금부터", "이제부터", "이제", "앞으로", "오늘부터"],
      r" (?:너는|넌|당신은|네가|너희는)", start=False),
    P("persona override", "ko", ["너는 이제", "당신은 이제", "넌 이제", "너는 지금부터",
                                 "당신은 지금부터"], start=False),
    P("persona override", "ko", ["인 척", "인척", "처럼 행동", "역할을", "행세를"],
      r" ?(?:해|하세요|해 ?줘|해라|하십시오|해 ?주세요|맡아|수행해|연기해)", start=False),
    P("persona override", "ko", ["개발자 모드", "제한 없는 모드", "dan 모드"],
      r"(?:를|을)? ?(?:활성화|켜|켜줘|실행)", start=False),
    P("note to AI systems", "ko", ["ai", "인공지능", "언어 모델", "챗봇"],
      r" ?(?:시스템|모델|어시스턴트|비서)?(?:들)?(?:에게|께|에 대한|을 위한|에게 보내는) ?(?:알림|"
      r"메시지|지시|안내|메모|참고)?(?= ?[:：,!]|$)", start=False),
    P("reveal the system prompt", "ko",
      ["시스템 프롬프트", "초기 지시", "원래 지시", "지시사항", "지침", "비밀번호", "암호",
       "너의 설정", "프롬프트", "너의 지시", "당신의 지시"],
      r"(?:을|를)? (?:모두 |전부 |그대로 )?(?:보여|알려|출력|공개|말해|표시|반복) ?(?:줘|주세요|하"
      r"세요|"
      r"해 ?줘|해 ?주세요|하라|해라|하십시오|해)", start=False),
    P("print exactly", "ko", ["라고", "이라고"],
      r"(?:만)? ?(?:출력|말|답|작성|대답|응답|표시)(?:하세요|하십시오|하라|해라|해 ?주세요|해 ?줘|"
      rf"해{_KO_END})|(?:만)? ?써(?: ?주세요| ?줘|라)", start=False),
    P("mark every claim as supported", "ko", ["이 기사", "기사", "이 글"],
      r"(?:의|에 있는|에 나온)? (?:모든 )?(?:주장|내용|진술|사실)(?:을|를|은|는)? (?:모두 )?(?:사실"
      r"|참|"
      r"진실|검증된 것|정확한 것)(?:으로|로) (?:표시|평가|판정|분류|간주|처리)(?:하세요|하십시오|"
      rf"하라|해라|해 ?주세요|해 ?줘|해{_KO_END})", start=False),
    P("mark every claim as supported", "ko", ["이 기사", "이 글", "기사"],
      r"(?:가|는|이) (?:사실|검증되었|검증됐|정확하|진실이|믿을 만하)(?:다|었다|했다)?고 (?:말해|답"
      r"해|"
      r"써|작성해|대답해|전해)(?:줘| ?주세요|라|)", start=False),
]

TR: list[Phrase] = [
    verb_last(
        "tr", verbs=[r"(?:unut|unutun|yok say|yok sayın|görmezden gel|görmezden gelin|"
                     r"dikkate alma|dikkate almayın|boş ver|boşver|umursama|umursamayın|es geç|"
                     r"geçersiz say|iptal et|iptal edin|sil|silin|takma|uygulama|uygulamayın|"
                     r"uyma|uymayın)(?!\w)"],
        pre=["yukarıdaki", "önceden verilen", "sana verilen", "size verilen", "daha önceki",
             "şimdiye kadarki"],
        poss=W("senin sizin"), quant=W("tüm bütün her"),
        adj=W("önceki eski ilk orijinal mevcut sistem verilen"),
        strong=W("talimatları talimatlar talimatı komutları komutlar istemleri istemi emirleri "
                 "yönergeleri direktifleri görevleri"),
        own=W("talimatlarını talimatlarınızı komutlarını yönergelerini kurallarını "
              "kurallarınızı emirlerini kısıtlamalarını sınırlamalarını yasaklarını "
              "filtrelerini"),
        weak=W("kuralları kısıtlamaları sınırlamaları bilgileri kuralların"),
        conj=W("ve veya"), post_quant=W("tamamen hepsini tümünü")),
    P("ignore previous instructions", "tr", ["yukarıdakileri", "öncekileri", "her şeyi",
                                             "yukarıda yazanları"],
      r" (?:tamamen |hepsini )?(?:unut|unutun|yok say|yok sayın|görmezden gel|görmezden gelin)"
      r"(?!\w)", start=False),
    P("new instructions", "tr", ["yeni talimatlar", "yeni talimat", "yeni görev", "yeni komut",
                                 "yeni istem", "sistem istemi", "sistem mesajı", "sistem promptu"],
      COLON),
    P("new instructions", "tr", W("senin sizin"),
      r" (?:yeni|asıl|tek|gerçek) (?:görevin|görevi|görevi̇n|işin|amacın|rolün|görevin şu)"),
    P("new instructions", "tr", ["bundan sonra", "şu andan itibaren", "artık", "bundan böyle"],
      r",? (?:sen|siz)(?!\w)"),
    P("persona override", "tr", ["sen artık", "siz artık", "artık sen", "artık siz"]),
    P("persona override", "tr", W("gibi olarak"), r" davran(?:ın)?(?!\w)", start=False),
    P("persona override", "tr", W("rolünü rolüne"), r" (?:oyna|üstlen|bür|gir)(?:ün|ın|in)?(?!\w)",
      start=False),
    P("persona override", "tr", W("olduğunu olduğunuzu"), r" (?:varsay|farz et|hayal et)(?:ın)?"
                                                          r"(?!\w)", start=False),
    P("persona override", "tr", ["geliştirici modunu", "dan modunu", "kısıtlamasız modu"],
      r" (?:aç|etkinleştir)(?:ın)?(?!\w)", start=False),
    P("note to AI systems", "tr", ["yapay zeka", "yapay zekâ", "yz", "ai", "llm", "dil modeli",
                                   "dil modellerine"],
      r" ?(?:sistemlerine|sistemleri için|modellerine|asistanlarına|için|sistemine)"
      r"(?: bir)? ?(?:not|mesaj|uyarı|talimat)?(?= ?[:：,!\-(]|$)", start=False),
    P("reveal the system prompt", "tr",
      ["sistem istemini", "sistem promptunu", "talimatlarını", "kurallarını", "şifreyi",
       "parolayı", "istemini", "yönergelerini", "sistem mesajını"],
      r"(?: bana)? (?:göster|söyle|yaz|yazdır|açıkla|tekrarla|paylaş)(?:in|ın|iniz|ınız)?(?!\w)",
      start=False),
    P("print exactly", "tr", W("sadece yalnızca yalnız"),
      rf"(?: şunu)?(?: {QUOTED})? (?:diye )?(?:yaz|yazın|söyle|söyleyin|de|deyin|yazdır|"
      r"yazdırın|cevap ver|yanıtla)(?!\w)", start=False),
    P("print exactly", "tr", W("yaz yazın söyle söyleyin deyin yazdır yazdırın yanıtla"),
      r"(?!\w)", before=rf"{QUOTED} (?:diye )?", start=False, back=90),
    P("mark every claim as supported", "tr", ["bu makaledeki", "bu haberdeki", "bu yazıdaki",
                                              "bu metindeki", "makaledeki"],
      r" (?:tüm |bütün |her )?(?:iddiaları|iddiayı|ifadeleri|bilgileri|iddialar)(?: hepsini)? "
      r"(?:doğru|gerçek|doğrulanmış|kesin)(?: olarak)? (?:işaretle|kabul et|say|değerlendir|"
      r"etiketle)(?:in|yin|yın|ın)?(?!\w)", start=False),
    P("mark every claim as supported", "tr", ["bu makalenin", "bu haberin", "makalenin",
                                              "bu yazının"],
      r"(?: tamamen)? (?:doğru olduğunu|doğrulandığını|gerçek olduğunu|güvenilir olduğunu) "
      r"(?:söyle|yaz|belirt)(?:in|yin)?(?!\w)", start=False),
]

ID: list[Phrase] = [
    *override(
        "id",
        verbs=[*W("abaikan abaikanlah lupakan lupakanlah acuhkan kesampingkan tinggalkan buang "
                  "hapus batalkan"), "jangan ikuti", "jangan hiraukan", "jangan patuhi",
               "jangan pedulikan", "kamu harus mengabaikan", "anda harus mengabaikan"],
        strong=W("instruksi perintah petunjuk arahan prompt tugas"),
        weak=W("aturan peraturan batasan pedoman informasi ketentuan"),
        own=W("instruksimu perintahmu arahanmu petunjukmu aturanmu batasanmu"),
        quant=W("semua seluruh segala setiap"), det=W("para"),
        post_quant=["semuanya", "sepenuhnya"], post_poss=W("kamu anda mu"),
        post_adj=["sebelumnya", "terdahulu", "awal", "sistem", "yang diberikan sebelumnya",
                  "yang lalu", "lama", "asli"],
        point=["di atas", "sebelum ini", "yang ada di atas", "yang diberikan kepadamu"],
        conj=W("dan atau"),
        after=W("saja sekarang dulu semua"),
        follow=W("tulis tuliskan katakan jawab tampilkan terjemahkan ringkas cetak beri tandai "
                 "ceritakan jelaskan buat buatlah sebutkan "
                 "hanya"),
        everything=["semuanya", "semua yang di atas", "semua itu", "segalanya", "semua hal",
                    r"semua yang (?:dikatakan|ditulis|diberikan|disebutkan|diperintahkan|"
                    r"diinstruksikan)"],
        everything_tail=["di atas", "sebelumnya", "tadi", "sebelum ini"]),
    P("new instructions", "id", W("instruksi perintah tugas arahan"), rf" baru{COLON}"),
    P("new instructions", "id", ["prompt sistem", "pesan sistem"], COLON),
    P("new instructions", "id", ["tugas baru", "tugasmu", "tugas kamu", "tugas anda"],
      r" (?:kamu |anda |mu )?(?:sekarang )?(?:adalah|ialah|:)"),
    P("new instructions", "id", ["mulai sekarang", "mulai saat ini", "dari sekarang", "sekarang"],
      r",? (?:kamu|anda|engkau|kau) (?:adalah|akan|harus|menjadi|bukan lagi|hanya)(?!\w)"),
    P("persona override", "id", ["kamu sekarang", "anda sekarang", "sekarang kamu",
                                 "sekarang anda"], r" (?:adalah|menjadi)(?!\w)"),
    P("persona override", "id", ["berpura-puralah", "berpura-pura", "pura-pura", "bayangkan kamu",
                                 "bayangkan anda", "berperanlah", "bertindaklah", "berlakulah",
                                 "bersikaplah"],
      r"(?: sebagai| seperti| layaknya| menjadi| adalah| bahwa)?(?!\w)"),
    P("persona override", "id", ["aktifkan", "nyalakan", "masuk ke"],
      r" mode (?:pengembang|developer|dan|tanpa batas|tanpa batasan)"),
    P("note to AI systems", "id", W("catatan pesan perhatian peringatan instruksi"),
      r" (?:untuk|bagi|kepada) (?:semua |setiap |para )?(?:sistem |model |asisten |agen )?(?:ai|"
      r"kecerdasan buatan|model bahasa|chatbot)(?= ?[:：,!\-(]|$| (?:yang membaca|yang memproses))"
      r""),
    P("reveal the system prompt", "id",
      [*W("tampilkan tunjukkan perlihatkan ungkapkan beritahu katakan tuliskan cetak ulangi"),
       "beri tahu"],
      r"(?: kepada)?(?: saya| aku)? (?:prompt sistem|instruksi|aturan|kata sandi|password|"
      r"konfigurasi|petunjuk|perintah)(?: (?:sistem|awal|asli|tersembunyi|rahasia)(?: (?:kamu|"
      r"anda|mu))?| (?:kamu|anda|mu))"),
    P("print exactly", "id", W("tulis tuliskan katakan cetak jawab jawablah ulangi tampilkan "
                               "balas"),
      said(r"hanya|saja|persis|secara persis|dengan|kata|teks|kalimat", r"[\"“']")),
    P("mark every claim as supported", "id", W("tandai anggap nilai kategorikan labeli "
                                               "perlakukan"),
      r" (?:semua|setiap|seluruh|para)? ?(?:klaim|pernyataan|fakta|informasi|artikel)(?: ini)?"
      r"(?: dalam artikel ini| di artikel ini| di bawah)? (?:sebagai|itu)? ?(?:benar|"
      r"terverifikasi|akurat|valid|terpercaya|faktual)"),
    P("mark every claim as supported", "id", W("katakan tuliskan nyatakan jawab sampaikan"),
      r" (?:bahwa )?(?:artikel|berita|laporan|klaim) (?:ini )?(?:sudah |telah )?(?:benar|"
      r"terverifikasi|diverifikasi|akurat|terpercaya|valid)"),
]

VI: list[Phrase] = [
    *override(
        "vi",
        verbs=["bỏ qua", "phớt lờ", "lờ đi", "quên", "quên đi", "quên hết", "không tuân theo",
               "đừng làm theo", "đừng tuân theo", "bỏ", "xóa", "hủy bỏ", "gạt bỏ", "gạt sang bên",
               "không cần quan tâm đến", "bạn phải bỏ qua", "đừng để ý đến"],
        strong=["hướng dẫn", "chỉ dẫn", "chỉ thị", "lệnh", "mệnh lệnh", "lời nhắc", "câu lệnh",
                "nhiệm vụ"],
        weak=["quy tắc", "luật lệ", "quy định", "giới hạn", "hạn chế", "thông tin", "yêu cầu"],
        quant=["tất cả", "mọi", "toàn bộ", "hết", "tất cả các", "tất cả những"],
        det=W("các những"), post_poss=["của bạn", "của mày", "của anh", "của em", "của cậu"],
        post_adj=["trước đó", "trước", "trước đây", "ban đầu", "gốc", "của hệ thống", "hệ thống",
                  "đã cho", "đã được cung cấp", "cũ"],
        point=["ở trên", "phía trên", "bên trên", "trên đây"], conj=["và", "hoặc"],
        follow=["viết", "in", "nói", "trả lời", "hiển thị", "dịch", "tóm tắt", "đánh dấu", "chỉ"],
        everything=["tất cả những gì", "mọi thứ", "hết mọi thứ", "tất cả", "những gì"],
        everything_tail=["ở trên", "trước đó", "đã nói", "phía trên", "bên trên", "trước đây"]),
    P("new instructions", "vi", ["hướng dẫn mới", "chỉ thị mới", "nhiệm vụ mới", "lệnh mới",
                                 "lời nhắc hệ thống"], COLON),
    P("new instructions", "vi", ["nhiệm vụ của bạn", "nhiệm vụ mới của bạn"],
      r" (?:bây giờ |lúc này )?là"),
    P("new instructions", "vi", ["từ bây giờ", "từ giờ", "kể từ bây giờ", "bây giờ", "từ nay"],
      r",? (?:bạn|mày|anh|em|cậu) (?:là|sẽ|phải|hãy|không còn|chỉ)(?!\w)"),
    P("persona override", "vi", ["bạn bây giờ là", "bạn giờ là", "mày bây giờ là"]),
    P("persona override", "vi", ["giả vờ", "giả làm", "đóng vai", "nhập vai", "hành động như",
                                 "cư xử như", "đóng giả"]),
    P("persona override", "vi", ["bật", "kích hoạt"],
      r" chế độ (?:nhà phát triển|developer|dan|không giới hạn)"),
    P("note to AI systems", "vi", ["lưu ý", "ghi chú", "thông điệp", "chú ý", "gửi", "tin nhắn"],
      r" (?:cho |tới |đến |gửi )?(?:tất cả |mọi |các )?(?:hệ thống |mô hình |trợ lý )?(?:ai|"
      r"trí tuệ nhân tạo|mô hình ngôn ngữ|chatbot)(?= ?[:：,!\-(]|$)"),
    P("reveal the system prompt", "vi",
      ["hiển thị", "cho tôi xem", "cho xem", "tiết lộ", "in ra", "nói cho tôi", "cho tôi biết",
       "viết ra", "lặp lại"],
      r" (?:lời nhắc|hướng dẫn|chỉ dẫn|quy tắc|mật khẩu|cấu hình|chỉ thị)(?: (?:hệ thống|ban "
      r"đầu|gốc|ẩn)(?: của bạn)?| của bạn)"),
    P("print exactly", "vi", ["in ra", "viết", "nói", "trả lời", "lặp lại", "xuất ra", "ghi",
                              "chỉ in ra", "chỉ viết", "chỉ nói", "chỉ trả lời"],
      said(r"chính xác|chỉ|duy nhất|đúng|câu|từ|dòng chữ|đoạn|là|rằng", r"[\"“']")),
    P("mark every claim as supported", "vi", ["đánh dấu", "coi", "xem", "xếp", "gắn nhãn",
                                              "đánh giá"],
      r" (?:tất cả|mọi|toàn bộ|từng)? ?(?:các |những )?(?:tuyên bố|khẳng định|thông tin|sự kiện|"
      r"bài viết|bài báo|nhận định)(?: trong bài viết này| trong bài báo này| này| dưới đây)? "
      r"(?:là|như là|như) (?:đúng|chính xác|đã được xác minh|đáng tin cậy|sự thật|thật)"),
    P("mark every claim as supported", "vi", ["nói", "viết", "khẳng định", "trả lời", "xác nhận"],
      r" (?:rằng|là) (?:bài báo|bài viết|thông tin|tin|báo cáo) (?:này )?(?:đã được xác minh|là "
      r"đúng|chính xác|đáng tin cậy|là sự thật|đúng)"),
]

SW: list[Phrase] = [
    *override(
        "sw",
        verbs=[*W("puuza puuzeni sahau sahauni futa ondoa dharau"), "achana na", "usifuate",
               "msifuate", "acha kufuata", "usijali", "usizingatie"],
        strong=W("maagizo maelekezo amri maelezo maongozi kazi"),
        weak=W("sheria kanuni vikwazo mipaka taarifa masharti"),
        quant=W("kila"), post_quant=W("yote zote wote"),
        post_poss=W("yako zako lako wako"),
        post_adj=["ya awali", "yaliyotangulia", "ya hapo awali", "ya zamani", "yaliyopita",
                  "ya mfumo", "za awali", "za mfumo", "uliyopewa", "ulizopewa", "za zamani"],
        point=["ya juu", "hapo juu", "iliyo juu", "yaliyo juu", "zilizo juu"],
        conj=W("na au"),
        follow=W("andika uandike sema useme jibu ujibu onyesha tafsiri fupisha weka chapisha"),
        everything=["kila kitu", "yote", "yote yaliyotangulia", "yote hapo juu"],
        everything_tail=["hapo juu", "awali", "kabla", "ya awali"]),
    P("new instructions", "sw", W("maagizo maelekezo kazi amri"), rf" (?:mapya|mpya){COLON}"),
    P("new instructions", "sw", ["maagizo ya mfumo", "ujumbe wa mfumo"], COLON),
    P("new instructions", "sw", ["kazi yako"], r" (?:mpya )?(?:sasa )?(?:ni|:)"),
    P("new instructions", "sw", ["kuanzia sasa", "tangu sasa", "kuanzia leo", "sasa"],
      r",? (?:wewe|nyinyi|ninyi) (?:ni|utakuwa|mtakuwa|lazima|utajibu|hutakuwa)(?!\w)"),
    P("persona override", "sw", ["wewe sasa ni", "sasa wewe ni", "wewe si tena"]),
    P("persona override", "sw", ["jifanye", "jifanyeni", "igiza", "igizeni", "cheza nafasi ya",
                                 "tenda kama", "fanya kama"]),
    P("persona override", "sw", ["washa"], r" hali ya (?:msanidi|developer|dan|bila vikwazo)"),
    P("note to AI systems", "sw", W("ujumbe kumbuka tahadhari maagizo tangazo"),
      r" (?:kwa|kwa ajili ya) (?:mifumo ya |mfumo wa |wasaidizi wa |modeli za )?(?:ai|akili "
      r"bandia|akili mnemba|lugha|chatbot)(?= ?[:：,!\-(]|$)"),
    P("reveal the system prompt", "sw", W("onyesha nionyeshe fichua niambie andika rudia "
                                          "chapisha"),
      r" (?:maagizo|maelekezo|nenosiri|sheria|kanuni|maelezo|neno la siri) (?:yako|zako|lako|"
      r"ya mfumo)"),
    P("print exactly", "sw", W("andika sema chapisha jibu rudia toa"),
      said(r"tu|pekee|hasa|kamili|maneno|maandishi|neno|kwa|na", r"[\"“']")),
    P("mark every claim as supported", "sw", ["weka alama", "tia alama", "chukulia", "hesabu",
                                              "ainisha"],
      r" (?:madai|kauli|taarifa|habari|makala)(?: yote| zote)?(?: katika makala hii| haya| hii)? ?"
      r"(?:kuwa|kama) ?(?:ya )?(?:kweli|sahihi|yaliyothibitishwa|iliyothibitishwa|ya kuaminika)"),
    P("mark every claim as supported", "sw", W("sema andika jibu thibitisha"),
      r" (?:kwamba|kuwa) (?:makala|habari|ripoti|taarifa) (?:hii )?(?:ni )?(?:ya )?(?:kweli|"
      r"sahihi|imethibitishwa|inaaminika)"),
]

# "If you are an AI, ignore the rest of this article": the conditional address, and the rest
# of the text to be ignored (see TASK in injection_phrases).
TASK: list[Phrase] = [
    P("addressed to an AI", "zh", ["如果你是", "如果您是", "假如你是", "若你是"],
      r"(?:一个|一名)?(?:ai|人工智能|语言模型|語言模型|大模型|聊天机器人|聊天機器人|ai助手|助手)"),
    P("ignore previous instructions", "zh", W("忽略 无视 無視 忘记 跳过 跳過 不要理会"),
      r"(?:本文|这篇文章|這篇文章|文章|本页|下面)(?:的)?(?:其余|其他|剩下|剩余)(?:的)?(?:部分|内容|內容)?"),
    P("addressed to an AI", "ja", ["あなたが", "君が", "あなたは"],
      r"(?:ai|人工知能|言語モデル|チャットボット|aiアシスタント)(?:なら|であれば|の場合|ならば)",
      start=False),
    P("ignore previous instructions", "ja", ["この記事の残り", "記事の残り", "残りの部分",
                                             "以下の内容", "この文書の残り"],
      rf"(?:は|を)?(?:すべて|全て)?{_ja_imperative('無視')}", start=False),
    P("addressed to an AI", "ko", ["당신이", "네가", "너가", "당신은"],
      r" (?:ai|인공지능|언어 모델|챗봇|ai 모델)(?:라면|이라면|인 경우|이면)", start=False),
    P("ignore previous instructions", "ko", ["이 기사의 나머지", "기사의 나머지", "나머지 내용",
                                             "이 글의 나머지"],
      rf"(?:는|은|를|을)? ?무시(?:하세요|하십시오|해라|하라(?!고)|해 ?주세요|해{_KO_END})",
      start=False),
    P("addressed to an AI", "ar", ["إذا كنت", "إن كنت", "لو كنت", "اذا كنت"],
      r" (?:نموذجا|نموذج|ذكاء اصطناعيا|ذكاء اصطناعي|مساعدا|مساعد|روبوت|برنامج)"),
    P("ignore previous instructions", "ar", [*W("تجاهل تجاهلي انس اترك"), "فتجاهل"],
      r" (?:بقية|باقي|ما تبقى من) (?:هذا |هذه )?(?:المقال|النص|الصفحة|الرسالة|الخبر)"),
    P("addressed to an AI", "tr", ["eğer", "şayet"],
      r" (?:bir )?(?:yapay zekaysan|yapay zeka isen|yapay zekâysan|dil modeliysen|sohbet "
      r"botuysan|yapay zeka asistanıysan)(?!\w)"),
    P("addressed to an AI", "tr", ["yapay zekaysan", "yapay zekâysan", "dil modeliysen"],
      r"(?!\w)", start=False),
    P("ignore previous instructions", "tr", ["geri kalanını"],
      r" (?:tamamen )?(?:görmezden gel|yok say|unut|atla)(?:in|ın)?(?!\w)", start=False),
]

PHRASES: tuple[Phrase, ...] = (*AR, *FA, *UR, *HI, *BN, *ZH, *JA, *KO, *TR, *ID, *VI, *SW, *TASK)
