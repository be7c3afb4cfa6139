"""A small message catalog for the Discord face: headings, labels and button names.

One row per message, one column per language (:data:`LANGUAGES`), so that a missing translation
is visible at a glance and caught by a test. Placeholders use ``str.format`` names, e.g.
``{language}``, and every column must use the same ones as English.

Unknown locales and unknown keys fall back to English (and to the key itself when even English
lacks it): a label in the wrong language is better than an error in the middle of a report.
"""

from __future__ import annotations

import re
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "ja")
"""The catalog's languages, in the order of each row of :data:`MESSAGES`."""

MESSAGES: dict[str, tuple[str, ...]] = {
    "summary": ("Summary", "Résumé", "Zusammenfassung", "Resumen", "要約"),
    "claims": ("Claims", "Affirmations", "Behauptungen", "Afirmaciones", "主張"),
    "claim": ("Claim", "Affirmation", "Behauptung", "Afirmación", "主張"),
    "consensus": ("Consensus", "Consensus", "Konsens", "Consenso", "総合判定"),
    "panel": ("Panel", "Panel", "Panel", "Panel", "パネル"),
    "tokens": ("tokens", "jetons", "Tokens", "tokens", "トークン"),
    "cost": ("cost", "coût", "Kosten", "coste", "費用"),
    "quorum": ("quorum", "quorum", "Quorum", "quórum", "定足数"),
    "check": ("check", "vérification", "Prüfung", "verificación", "チェック"),
    "article": ("article", "article", "Artikel", "artículo", "記事"),
    "language": ("Language", "Langue", "Sprache", "Idioma", "言語"),
    "characters": ("characters", "caractères", "Zeichen", "caracteres", "文字"),
    "untitled": ("(untitled)", "(sans titre)", "(ohne Titel)", "(sin título)", "（無題）"),
    "continued": ("continued", "suite", "Fortsetzung", "continuación", "続き"),
    "warnings": ("Warnings", "Avertissements", "Warnungen", "Advertencias", "警告"),
    "details": ("Details", "Détails", "Details", "Detalles", "詳細"),
    "cites": ("cites", "cite", "zitiert", "cita", "引用"),
    "own_knowledge": ("from the model's own knowledge", "selon les connaissances du modèle",
                      "aus dem eigenen Wissen des Modells", "según el conocimiento del modelo",
                      "モデル自身の知識による"),
    "sources": ("{count} source(s)", "{count} source(s)", "{count} Quelle(n)", "{count} fuente(s)",
                "情報源 {count} 件"),
    "cited_by": ("cited by", "cité par", "zitiert von", "citado por", "引用したモデル:"),
    "also_reported": ("also reported by", "aussi rapporté par", "auch berichtet von",
                      "también informado por", "他の報道:"),
    "incomplete": ("Incomplete check: run it again later",
                   "Vérification incomplète : relancez-la plus tard",
                   "Unvollständige Prüfung: später erneut ausführen",
                   "Verificación incompleta: vuelva a intentarlo más tarde",
                   "チェックは未完了です。後でもう一度実行してください"),
    "check_incomplete": ("check incomplete", "vérification incomplète", "Prüfung unvollständig",
                         "verificación incompleta", "チェック未完了"),
    "stage_summary": ("summary", "résumé", "Zusammenfassung", "resumen", "要約"),
    "stage_claims": ("claims", "affirmations", "Behauptungen", "afirmaciones", "主張"),
    "stage_panel": ("panel", "panel", "Gremium", "panel", "パネル"),
    "stage_escalation": ("escalation", "escalade", "Eskalation", "escalada", "エスカレーション"),
    "failed": ("failed", "échec", "fehlgeschlagen", "falló", "失敗"),
    "claims_failed": ("claims could not be extracted",
                      "les affirmations n'ont pas pu être extraites",
                      "Behauptungen konnten nicht extrahiert werden",
                      "no se pudieron extraer las afirmaciones", "主張を抽出できませんでした"),
    "status_not asked": ("not asked", "non interrogé", "nicht gefragt", "no consultado", "未照会"),
    "status_error": ("error", "erreur", "Fehler", "error", "エラー"),
    "status_offline": ("offline", "hors ligne", "offline", "sin conexión", "オフライン"),
    "page": ("page {page} of {pages}", "page {page} sur {pages}", "Seite {page} von {pages}",
             "página {page} de {pages}", "{pages}ページ中{page}ページ目"),
    "previous": ("Previous", "Précédent", "Zurück", "Anterior", "前へ"),
    "next": ("Next", "Suivant", "Weiter", "Siguiente", "次へ"),
    "report_gone": ("This report is no longer stored.", "Ce rapport n’est plus conservé.",
                    "Dieser Bericht ist nicht mehr gespeichert.",
                    "Este informe ya no está guardado.", "このレポートはもう保存されていません。"),
    "flagged": ("flagged for moderators", "signalé aux modérateurs", "zur Moderation markiert",
                "señalado a los moderadores", "モデレーターに報告済み"),
    "flagged_claim": ("Flagged claim", "Affirmation signalée", "Markierte Behauptung",
                      "Afirmación señalada", "報告された主張"),
    "cached": ("cached report", "rapport en cache", "zwischengespeicherter Bericht",
               "informe en caché", "キャッシュ済みのレポート"),
    "cannot_translate": (
        "offline mode cannot translate: the summary exists only in {language}",
        "le mode hors ligne ne peut pas traduire : le résumé n’existe qu’en {language}",
        "der Offline-Modus kann nicht übersetzen: die Zusammenfassung gibt es nur in {language}",
        "el modo sin conexión no puede traducir: el resumen solo existe en {language}",
        "オフラインモードでは翻訳できません。要約は{language}のみです"),
    "offline_warning": (
        "Offline mode: no verifier is configured. Summaries are extracted sentences, claims are "
        "rule-based candidates, and no claim has been checked.",
        "Mode hors ligne : aucun vérificateur n’est configuré. Les résumés sont des phrases "
        "extraites, les affirmations des candidates choisies par règles, et aucune n’a été "
        "vérifiée.",
        "Offline-Modus: Kein Prüfmodell ist konfiguriert. Zusammenfassungen sind ausgewählte "
        "Sätze, Behauptungen regelbasierte Kandidaten, und keine wurde geprüft.",
        "Modo sin conexión: no hay ningún verificador configurado. Los resúmenes son frases "
        "extraídas, las afirmaciones son candidatas elegidas por reglas y ninguna se ha "
        "verificado.",
        "オフラインモード：検証モデルが設定されていません。要約は記事から抜き出した文、主張は"
        "ルールで選んだ候補であり、どの主張も検証されていません。"),
    "no_claims": ("No check-worthy claims found.", "Aucune affirmation à vérifier.",
                  "Keine prüfenswerten Behauptungen gefunden.",
                  "No se encontraron afirmaciones verificables.",
                  "検証すべき主張は見つかりませんでした。"),
    "no_summary": ("No summary in this language.", "Pas de résumé dans cette langue.",
                   "Keine Zusammenfassung in dieser Sprache.", "No hay resumen en este idioma.",
                   "この言語の要約はありません。"),
    "digest": ("Digest", "Sélection", "Überblick", "Resumen del día", "ダイジェスト"),
    "digest_count": ("{count} new article(s)", "{count} nouvel(s) article(s)",
                     "{count} neue(r) Artikel", "{count} artículo(s) nuevo(s)",
                     "新着記事 {count} 件"),
    "digest_empty": ("Nothing new since the last digest.",
                     "Rien de nouveau depuis la dernière sélection.",
                     "Nichts Neues seit dem letzten Überblick.",
                     "Nada nuevo desde el último resumen.",
                     "前回のダイジェスト以降、新着はありません。"),
    "disputed_claims": ("Disputed claims", "Affirmations contestées", "Umstrittene Behauptungen",
                        "Afirmaciones disputadas", "見解が分かれた主張"),
    "form_expired": ("This form has expired: press Add note again.",
                     "Ce formulaire a expiré : appuyez de nouveau sur Ajouter une note.",
                     "Dieses Formular ist abgelaufen: Notiz hinzufügen erneut drücken.",
                     "Este formulario ha caducado: pulse de nuevo Añadir nota.",
                     "このフォームは期限切れです。もう一度「メモを追加」を押してください。"),
    "not_checked": ("not checked", "non vérifié", "nicht geprüft", "no verificado", "未検証"),
    "no_rationale": ("(no rationale given)", "(aucune justification)", "(keine Begründung)",
                     "(sin justificación)", "（理由の記載なし）"),
    "confidence": ("confidence", "confiance", "Konfidenz", "confianza", "確信度"),
    "evidence": ("Evidence", "Sources", "Belege", "Fuentes", "根拠"),
    "more_votes": ("+{count} more", "+{count} de plus", "+{count} weitere", "+{count} más",
                   "ほか{count}件"),
    "agreed": ("Agreed", "Accord", "Einig", "Acuerdo", "一致"),
    "verdict.supported": ("supported", "confirmé", "bestätigt", "respaldado", "支持"),
    "verdict.refuted": ("refuted", "réfuté", "widerlegt", "refutado", "反証"),
    "verdict.misleading": ("misleading", "trompeur", "irreführend", "engañoso", "誤解を招く"),
    "verdict.uncertain": ("uncertain", "incertain", "unsicher", "incierto", "判断不能"),
    "verdict.error": ("error", "erreur", "Fehler", "error", "エラー"),
    "consensus.agreed-supported": ("Agreed: supported", "Accord : confirmé", "Einig: bestätigt",
                                   "Acuerdo: respaldado", "一致：支持"),
    "consensus.agreed-refuted": ("Agreed: refuted", "Accord : réfuté", "Einig: widerlegt",
                                 "Acuerdo: refutado", "一致：反証"),
    "consensus.agreed-misleading": ("Agreed: misleading", "Accord : trompeur",
                                    "Einig: irreführend", "Acuerdo: engañoso", "一致：誤解を招く"),
    "consensus.disputed": ("Disputed", "Contesté", "Umstritten", "En disputa", "意見が割れた"),
    "consensus.abstained": ("Abstained", "Abstention", "Enthaltung", "Abstención", "判断保留"),
    "consensus.insufficient": ("Not enough answers", "Réponses insuffisantes",
                               "Zu wenige Antworten", "Respuestas insuficientes", "回答不足"),
    "accurate": ("Accurate", "Exact", "Zutreffend", "Correcto", "正確"),
    "inaccurate": ("Inaccurate", "Inexact", "Unzutreffend", "Incorrecto", "不正確"),
    "needs_context": ("Needs context", "Manque de contexte", "Kontext fehlt", "Falta contexto",
                      "文脈が必要"),
    "dismiss": ("Dismiss", "Ignorer", "Verwerfen", "Descartar", "却下"),
    "add_note": ("Add note", "Ajouter une note", "Notiz hinzufügen", "Añadir nota", "メモを追加"),
    "note": ("Note", "Note", "Notiz", "Nota", "メモ"),
    "moderators": ("Moderators", "Modérateurs", "Moderation", "Moderadores", "モデレーター"),
    "decision": ("Decision", "Décision", "Entscheidung", "Decisión", "判定"),
    "decided": ("{action} — by {moderator} at {time}", "{action} — par {moderator} le {time}",
                "{action} — von {moderator} am {time}", "{action} — por {moderator} el {time}",
                "{action} — {moderator}（{time}）"),
    "decided_no_time": ("{action} — by {moderator}", "{action} — par {moderator}",
                        "{action} — von {moderator}", "{action} — por {moderator}",
                        "{action} — {moderator}"),
    "injection_warning": ("Prompt-injection warning", "Alerte d’injection de prompt",
                          "Warnung: Prompt-Injection", "Aviso de inyección de prompt",
                          "プロンプトインジェクションの警告"),
    "reason_flagged": ("Reason flagged", "Motif du signalement", "Grund der Markierung",
                       "Motivo del aviso", "報告理由"),
    # The Discord face's own texts (status, queue, help).
    "status": ("Status", "État", "Status", "Estado", "ステータス"),
    "spent_today": ("Spent today", "Dépensé aujourd’hui", "Heute ausgegeben", "Gastado hoy",
                    "本日の使用額"),
    "review_queue": ("Review queue", "File de revue", "Prüfwarteschlange", "Cola de revisión",
                     "レビュー待ち"),
    "queue_empty": ("No claims are waiting for review.", "Aucune affirmation en attente.",
                    "Keine Behauptungen warten auf Prüfung.", "No hay afirmaciones pendientes.",
                    "レビュー待ちの主張はありません。"),
    "not_moderator": (
        "Only moderators (manage messages, or the moderators' role) can do this.",
        "Seuls les modérateurs (gérer les messages, ou le rôle des modérateurs) peuvent le faire.",
        "Nur die Moderation (Nachrichten verwalten oder die Moderationsrolle) darf das.",
        "Solo los moderadores (gestionar mensajes o el rol de moderación) pueden hacerlo.",
        "この操作はモデレーター（メッセージの管理権限かモデレーターロール）のみが行えます。"),
    "help_intro": (
        "Parallax summarizes news articles in your languages and has several language models "
        "check each claim. Where they agree, disagree or decline to answer is shown, not hidden.",
        "Parallax résume les articles dans vos langues et fait vérifier chaque affirmation par "
        "plusieurs modèles. Accords, désaccords et abstentions sont montrés, pas cachés.",
        "Parallax fasst Artikel in Ihren Sprachen zusammen und lässt jede Behauptung von mehreren "
        "Modellen prüfen. Einigkeit, Streit und Enthaltung werden gezeigt, nicht versteckt.",
        "Parallax resume artículos en tus idiomas y hace que varios modelos verifiquen cada "
        "afirmación. Acuerdos, desacuerdos y abstenciones se muestran, no se ocultan.",
        "Parallaxは記事を指定の言語で要約し、各主張を複数の言語モデルで検証します。"
        "一致・不一致・判断保留も隠さずに表示します。"),
    "help_check": ("Summarize an article (url, text or file) and check its claims.",
                   "Résumer un article (url, texte ou fichier) et vérifier ses affirmations.",
                   "Einen Artikel (URL, Text oder Datei) zusammenfassen und prüfen.",
                   "Resumir un artículo (url, texto o archivo) y verificar sus afirmaciones.",
                   "記事（URL・テキスト・ファイル）を要約し、主張を検証します。"),
    "help_summarize": ("Summaries only, in the languages you choose.",
                       "Résumés seulement, dans les langues choisies.",
                       "Nur Zusammenfassungen, in den gewählten Sprachen.",
                       "Solo resúmenes, en los idiomas elegidos.", "指定した言語の要約のみ。"),
    "help_review_queue": ("Moderators: flagged claims waiting for a decision, newest first.",
                          "Modérateurs : affirmations signalées en attente, les plus récentes "
                          "d’abord.", "Moderation: markierte Behauptungen, neueste zuerst.",
                          "Moderadores: afirmaciones señaladas pendientes, las más recientes "
                          "primero.", "モデレーター向け：判定待ちの報告済み主張（新しい順）。"),
    "help_review_settings": ("Moderators: the review channel, the role, what gets flagged.",
                             "Modérateurs : salon de revue, rôle, ce qui est signalé.",
                             "Moderation: Kanal, Rolle und was markiert wird.",
                             "Moderadores: canal de revisión, rol y qué se señala.",
                             "モデレーター向け：レビューチャンネル、ロール、報告の対象。"),
    "help_settings_languages": ("The server's default summary languages.",
                                "Les langues de résumé par défaut du serveur.",
                                "Die Standardsprachen des Servers für Zusammenfassungen.",
                                "Los idiomas de resumen predeterminados del servidor.",
                                "サーバーの既定の要約言語。"),
    "help_settings_budget": ("A daily cap on model spending.",
                             "Un plafond quotidien de dépenses en modèles.",
                             "Ein tägliches Limit für Modellkosten.",
                             "Un límite diario de gasto en modelos.", "モデル利用額の1日の上限。"),
    "help_status": ("Panel health, today's usage and spending, queue length.",
                    "État du panel, usage et dépenses du jour, longueur de la file.",
                    "Zustand des Panels, heutige Nutzung und Kosten, Länge der Warteschlange.",
                    "Estado del panel, uso y gasto de hoy, longitud de la cola.",
                    "パネルの状態、本日の使用量と費用、レビュー待ちの件数。"),
    "help_feeds": ("News feeds the server follows; entries: what became of each new article, "
                   "and why.",
                   "Les flux d’actualité suivis ; entries : ce qu’est devenu chaque nouvel "
                   "article, et pourquoi.",
                   "Die Nachrichtenfeeds des Servers; entries: was aus jedem neuen Artikel "
                   "wurde, und warum.",
                   "Los canales de noticias del servidor; entries: qué fue de cada artículo "
                   "nuevo, y por qué.",
                   "サーバーが購読するニュースフィード。entries：新着記事ごとの結果とその理由。"),
    "help_digest": ("Scheduled digests of new articles in a channel.",
                    "Résumés programmés des nouveaux articles dans un salon.",
                    "Geplante Übersichten neuer Artikel in einem Kanal.",
                    "Resúmenes programados de artículos nuevos en un canal.",
                    "チャンネルへの新着記事の定期ダイジェスト。"),
}

# Autonyms: a reader looks for their own language's name, whatever the interface language.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "fr": "Français", "de": "Deutsch", "es": "Español", "ja": "日本語",
    "it": "Italiano", "pt": "Português", "nl": "Nederlands", "pl": "Polski", "sv": "Svenska",
    "da": "Dansk", "nb": "Norsk bokmål", "fi": "Suomi", "cs": "Čeština", "ro": "Română",
    "hu": "Magyar", "hr": "Hrvatski", "lt": "Lietuvių", "bg": "Български", "el": "Ελληνικά",
    "ru": "Русский", "uk": "Українська", "tr": "Türkçe", "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia", "th": "ไทย", "hi": "हिन्दी", "ar": "العربية", "fa": "فارسی",
    "he": "עברית", "ko": "한국어", "zh-Hans": "简体中文", "zh-Hant": "繁體中文",
}  # fmt: skip

_COLUMN = {lang: i for i, lang in enumerate(LANGUAGES)}
_PLACEHOLDER = re.compile(r"{(\w+)}")
# Discord locales that are not "language" or "language-REGION" with an obvious language.
_SPECIAL = {"no": "nb", "zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans",
            "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant"}


class _KeepMissing(dict[str, Any]):
    # A value the caller forgot shows as "{name}" instead of raising mid-report.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders used in ``text``."""
    return set(_PLACEHOLDER.findall(text))


def locale_language(discord_locale: str) -> str:
    """The BCP-47 language code (usable as a summary language) for a Discord locale.

    ``en-US`` and ``en-GB`` give ``en``, ``es-419`` gives ``es``, ``pt-BR`` gives ``pt``,
    ``zh-CN`` gives ``zh-Hans`` and ``zh-TW`` gives ``zh-Hant``; an empty or malformed locale
    gives ``en``. Codes that are already BCP-47 (``zh-Hant``, ``fr``) pass through.
    """
    parts = [p for p in discord_locale.strip().replace("_", "-").lower().split("-") if p]
    if not parts or not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
        return "en"
    if parts[0] == "zh":
        # Script first (zh-Hant-HK), then region (zh-TW), then the simplified default.
        if "hant" in parts[1:]:
            return "zh-Hant"
        if "hans" in parts[1:]:
            return "zh-Hans"
    return _SPECIAL.get("-".join(parts[:2]), _SPECIAL.get(parts[0], parts[0]))


def catalog_language(locale: str) -> str:
    """The catalog language used for ``locale``: its language if translated, else ``en``."""
    lang = locale_language(locale).split("-")[0]
    return lang if lang in _COLUMN else "en"


def t(key: str, locale: str, **values: Any) -> str:
    """The message ``key`` in ``locale``'s language, with ``values`` filled in.

    Falls back to English for a locale the catalog lacks, and to ``key`` itself for an
    unknown key.
    """
    row = MESSAGES.get(key)
    if row is None:
        return key
    text = row[_COLUMN[catalog_language(locale)]] or row[0]
    return text.format_map(_KeepMissing(values)) if values else text


def language_name(code: str) -> str:
    """A language's own name (``Deutsch`` for ``de``), or the code when unknown."""
    return LANGUAGE_NAMES.get(code) or LANGUAGE_NAMES.get(locale_language(code), code)


def format_number(n: int, locale: str) -> str:
    """``n`` with the locale's thousands separator (12,345 · 12 345 · 12.345)."""
    sep = {"fr": "\u202f", "de": ".", "es": "."}.get(catalog_language(locale), ",")
    return f"{n:,}".replace(",", sep)
