"""The rules' explanations in the reader's language: each rule's docstring, its
paragraphs unwrapped, marked for translation. The engine keeps its English docstrings
(it imports nothing from Django); a test checks that each text here is its rule's
docstring word for word, so a changed rule cannot keep an old explanation."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EXPLANATIONS: dict[str, Promise] = {
    "children.best_interests_assessment": _(
        "Every unaccompanied or separated child's best interests must be assessed by "
        "the case worker (a short or comprehensive BIA, with the child's views): by "
        "default within 72 hours of identification, or 24 hours for a child at high "
        "risk (the profile's `bia_separated_child` and `bia_urgent`; the UNHCR "
        "guidelines leave the times to each operation). Met by `bia_completed`. "
        "Lapses when the child turns 18 or is no longer separated first. Open: "
        "warning; overdue: critical. Sources: UNHCR Best Interests Procedure "
        "Guidelines (2021); CRC art. 3(1)."
    ),
    "children.best_interests_determination": _(
        "A formal best interests determination (BID) must come before a durable "
        "solution (return, local integration, resettlement or a complementary "
        "pathway) is decided for an unaccompanied or separated child, and before any "
        "decision that would separate a child from their parents against their will "
        "(a return planned for such a child is a return proposed). A BID is a report "
        "to a panel of at least three members (the profile's `bid_panel_minimum`), "
        "each of whom has signed an undertaking of confidentiality, and the report's "
        "author never decides alone. Raised by `decision_proposed`; met by such a "
        "panel's `bid_decided` for the purpose, unless reopened since. No deadline: "
        "due before the decision (warning); a decision taken without it is escalated "
        "(critical). Sources: UNHCR Best Interests Procedure Guidelines (2021); UNHCR "
        "Guidelines on Determining the Best Interests of the Child (2008); CRC arts. "
        "3(1), 9(1)."
    ),
    "children.guardian": _(
        "As soon as a child is identified as unaccompanied or separated, a guardian "
        "or adviser must be appointed: by default within 24 hours (the profile's "
        '`guardian_appointment`; the law says "as soon as", the hours are policy). '
        "The guardianship lasts until the child turns 18 or leaves the country for "
        "good; if it ends sooner (the guardian is replaced, or a check finds them "
        "unsuitable), another guardian is due at once, by the same figure. Met by "
        "`guardian_appointed`. Lapses when the child turns 18 or is no longer "
        "separated first. Open: warning; overdue: critical. Sources: CRC General "
        "Comment No. 6 (2005) paras 33-34; CRC art. 20."
    ),
    "children.guardian_suitability": _(
        "A relative or other carer appointed as a child's guardian must have their "
        "suitability checked, a non-relative's more closely: by default within 7 "
        "calendar days of the appointment (the profile's "
        "`guardian_suitability_check`, a policy figure). Professional and "
        "institutional guardians are vetted by their own body. Met by "
        "`guardian_suitability_checked`, whatever it found: a guardian found "
        "unsuitable ends the guardianship, and children.guardian asks for another. "
        "Lapses if the guardianship ends first. Open: info; overdue: warning. Source: "
        "CRC General Comment No. 6 (2005) para 34."
    ),
    "children.reunification_follow_up": _(
        "After a child is reunited with family, the case worker visits to see how the "
        "child is: by default within 30 calendar days (the profile's "
        "`reunification_follow_up`, a policy figure). Met by `reunification_visited`. "
        "Open: info; overdue: warning. Sources: Inter-agency Guiding Principles on "
        "Unaccompanied and Separated Children (2004); CRC arts. 3(1), 10."
    ),
    "consular.death": _(
        "When a foreign national dies, tell their consulate without delay (VCCR art. "
        "37(a)), by the profile's `consular_death_notification` (baseline 24 h), one "
        "notice per foreign nationality; met by `consulate_notified` about the "
        "death. For an asylum seeker or refugee, a legal officer decides "
        "(escalated), and any message carries no asylum data: the family may still "
        "be at risk. Not for a national of the detaining State, nor a stateless "
        "person."
    ),
    "consular.forward_communications": _(
        "Forward to the consulate, without delay, every letter or message the "
        "detained person addresses to it (VCCR art. 36(1)(b); ICRMW art. 16(7)). "
        "Each `communication_received` is due by the profile's "
        "`communication_forwarding` (baseline 24 h), met by the "
        "`communication_forwarded` of the same communication. Not for a national of "
        "the detaining State, nor a stateless person."
    ),
    "consular.guardianship": _(
        "When a guardianship is opened for a foreign child (or an adult lacking full "
        "capacity), or a guardian appointed for a child (children.guardian), tell "
        "their consulate without delay (VCCR art. 37(b)), by the profile's "
        "`consular_guardianship_notification` (baseline 24 h); met by "
        "`consulate_notified` about the guardianship. For an asylum-seeking or "
        "refugee child this can endanger the child: a legal officer decides "
        "(escalated), nothing is sent before a best interests assessment "
        "(`bia_completed`), and any message carries no asylum data. Not for a "
        "national of the detaining State, nor a stateless person."
    ),
    "consular.inform_rights": _(
        "Tell a detained foreign national, without delay and in a language they "
        "understand, that they may have their consulate told of their detention and "
        "may write to it, and record it (VCCR art. 36(1)(b)). The clock starts when "
        "the authorities know, or have grounds to think, that the person is foreign "
        "(ICJ, Avena, 2004), not at arrest; and only while the person is detained: a "
        "custody that ended within a few hours on the same day does not count (US "
        "Consular Notification and Access manual). Deadline: the profile's "
        "`consular_rights_information` (baseline 24 h). One duty per foreign "
        "nationality (or one while the country is unknown). Opposing consular visits "
        "does not lift it. Not owed to a national of the detaining State, even one "
        "with a second nationality, nor to a stateless person."
    ),
    "consular.mandatory_notification": _(
        "Where a treaty binding the detaining State makes it mandatory (the "
        "profile's `mandatory_notification` list, e.g. the United States' bilateral "
        "consular conventions), tell the consulate of the person's detention without "
        "delay whatever the person wants, and tell the person it is being told (US "
        "Consular Notification and Access manual). The clock starts at detention, or "
        "when the nationality is recorded if later. Deadline: "
        "`consular_notification_target` (baseline 24 h), critical past "
        "`consular_notification_limit` (72 h). The list's modifiers apply: not for "
        "holders of the named passport (a Taiwan passport for China), not for the "
        "detaining State's permanent residents where the entry says so; then only on "
        "request. For an asylum seeker or refugee, a legal officer decides "
        "(escalated), and any message carries no asylum data. Not for a national of "
        "the detaining State."
    ),
    "consular.notify_on_request": _(
        "If a detained foreign national asks, tell their consulate of the detention "
        "without delay (VCCR art. 36(1)(b); ICRMW art. 16(7)). The clock starts at "
        "the request (or at the detention, for a request standing from before it). "
        "Deadline: the profile's `consular_notification_target` (baseline 24 h), "
        "critical past `consular_notification_limit` (baseline 72 h) (US Consular "
        "Notification and Access manual: normally within 24 hours, certainly within "
        "72). A later `consular_notification_declined` withdraws the request. An "
        "asylum seeker's or refugee's consulate is never told without their "
        "explicit, informed consent (`consular_notification_consented` for that "
        "country), and the message carries no asylum data (UNHCR; EU Directive "
        "2013/32 art. 30). Not for a national of the detaining State, nor a "
        "stateless person."
    ),
    "detention.alternatives_review": _(
        "After a positive vulnerability screen, the detention must be reviewed "
        "against alternatives, following the International Detention Coalition's "
        "five steps: (1) presume detention is not necessary; (2) screen and assess "
        "the individual case; (3) assess the community setting; (4) apply conditions "
        "in the community where needed; (5) detain only as a last resort. It is met "
        "once all five steps are recorded, or an alternative is applied (reporting, "
        "release to the community, case management, guarantor, bail, open centre), "
        "or the person is released; by default within 72 hours of the screen (the "
        "profile's `alternatives_review`, a policy figure). Sources: A/RES/68/179 "
        "para 4(a) (use alternatives to detention); UNHCR Detention Guidelines "
        "(2012), Guidelines 4 and 9; IDC Community Assessment and Placement model."
    ),
    "detention.child": _(
        "A child must not be held in immigration detention: it is never in the "
        "child's best interests. A child in detention is always critical until "
        "released or placed in an alternative. A person counts as a child while "
        "under 18 by the recorded date of birth (with only a year or month known, "
        "the youngest possible age), or by the minimum age of an age assessment, or "
        "while their age is disputed (benefit of the doubt). Sources: CMW GC No. 4 / "
        "CRC GC No. 23 (2017); CRC art. 37(b); CRC GC No. 6 (2005) para 31(i) "
        "(benefit of the doubt); A/RES/71/177 para 67."
    ),
    "detention.first_review": _(
        "A judicial or other independent authority must review the decision to "
        "detain promptly: by default within 48 hours of the start of detention (the "
        "profile's `detention_first_review`), unless the person is released first. A "
        "review by the detaining administration itself does not count. Where a judge "
        "ordered the detention, the order is that judicial scrutiny. Sources: UNHCR "
        "Detention Guidelines (2012), Guideline 7 (review ideally automatic, within "
        "24-48 hours); ICCPR art. 9(4); Directive 2008/115/EC art. 15(2) (speedy "
        "judicial review of administrative orders)."
    ),
    "detention.indefinite_risk": _(
        "Where the law sets no maximum period of detention, detention risks becoming "
        "indefinite, which is arbitrary: the case is flagged while the person is "
        "detained, and someone must check, at the policy interval (the profile's "
        "`indefinite_detention_review`, by default 30 days) after the last review of "
        "any kind, that detention is still necessary and removal still realistic. "
        "Sources: UNHCR Detention Guidelines (2012), Guideline 6; WGAD Revised "
        "Deliberation No. 5 (2018); Hardial Singh principles (UK); NZYQ v Minister "
        "[2023] HCA 37 (Australia)."
    ),
    "detention.maximum_period": _(
        # "80 % of" is not a placeholder, but gettext would take "% o" for one.
        # xgettext:no-python-format
        "Detention must end before the maximum period the law sets (the profile's "
        "`detention_maximum`; once extended, `detention_maximum_extended`, e.g. 6 "
        "and 18 months under the EU Return Directive; 36 hours in Mexico since the "
        "Supreme Court's ruling of 2023). Where the law counts episodes together, "
        "time already served in earlier episodes counts. A warning at 80 % of the "
        "period, critical once it has run out. Release when there is no realistic "
        "prospect of removal is recorded as the end (reason "
        "`no_prospect_of_removal`). Sources: UNHCR Detention Guidelines (2012), "
        "Guideline 6 (maximum periods set in law); Directive 2008/115/EC art. "
        "15(4)-(6); CJEU Kadzoev C-357/09."
    ),
    "detention.periodic_review": _(
        "While the person is detained, a judicial or other independent authority "
        "must review the detention again at regular intervals: the next review falls "
        "due one interval (the profile's `detention_periodic_review`, by default 30 "
        "days as a policy figure) after the last review, or after the start while "
        "there has been none. Where the law sets a shorter interval for the second "
        "review (Canada: 7 days after the first, `detention_second_review`), that "
        "one counts first. Release ends the duty. Sources: UNHCR Detention "
        "Guidelines (2012), Guideline 7; UN Working Group on Arbitrary Detention, "
        "Revised Deliberation No. 5 (2018): automatic periodic review."
    ),
    "detention.vulnerability_screening": _(
        "Everyone detained must be screened for vulnerability at intake: by default "
        "within 24 hours of the start of detention (the profile's "
        "`vulnerability_screening`). Screening looks for children, survivors of "
        "torture or trauma, victims of trafficking, pregnant or nursing women, "
        "people with disabilities or serious illness, older people, LGBTI people and "
        "others with special needs. A positive screen requires a review of "
        "alternatives to detention (detention.alternatives_review). Source: UNHCR "
        "Detention Guidelines (2012), Guideline 9."
    ),
    "labour.trafficking_screening": _(
        'A labour complaint, or a "no" on a domestic worker\'s ILO C189 checklist, '
        "that shows one of the ILO's 11 indicators of forced labour (withheld "
        "wages, retained documents, debt bondage…) asks for a screening for "
        "trafficking or forced labour, by default within 7 days (the profile's "
        "`labour_screening`, a policy figure). Met by `trafficking_screened` or "
        "`forced_labour_screened` recorded after it. Open: warning; overdue: "
        "critical. Sources: A/RES/68/179 paras 4(j) and 5(a); ILO Indicators of "
        "Forced Labour (2012); Palermo Protocol art. 3."
    ),
    "protection.assistance": _(
        "A person found, on reasonable grounds, to be a victim of trafficking must "
        "be offered medical, psychosocial and legal assistance, each by default "
        "within 72 hours of the decision (the profile's `assistance_offer`, a "
        "policy figure), and whether or not they cooperate with investigators. Met "
        "by `assistance_offered` of that kind, or by a referral to a provider of "
        "that service (`service_referred`). Open: warning; overdue: critical. "
        "Sources: A/RES/68/179 para 7; Palermo Protocol art. 6(3); EU Directive "
        "2011/36/EU art. 11(3); Council of Europe Anti-Trafficking Convention art. "
        "12."
    ),
    "protection.identification": _(
        "When a screening with the ILO/European Commission indicators suggests "
        "possible trafficking, an authorised person must decide whether there are "
        "reasonable grounds to believe the person is a victim: by default within 7 "
        "days of the screening (the profile's `reasonable_grounds_decision`, a policy "
        "figure). Met by a `trafficking_identified` on reasonable grounds, positive "
        "or negative. The suggestion never decides. Open: warning; overdue: critical. "
        "Sources: Council of Europe Anti-Trafficking Convention art. 10; Palermo "
        "Protocol art. 6."
    ),
    "protection.reflection_period": _(
        "A person found, on reasonable grounds, to be a victim of trafficking has a "
        "recovery and reflection period of at least 30 days (the profile's "
        "`reflection_period`), in which no removal order may be enforced: any planned "
        "return is blocked meanwhile (returns.concern). Open (info) until the period "
        "ends; met then, if the person was not removed; a return carried out inside "
        "it is escalated (critical). Sources: Council of Europe Anti-Trafficking "
        "Convention art. 13; EU Directive 2004/81/EC art. 6."
    ),
    "services.urgent_referral": _(
        "An urgent referral to a service provider must be accepted by the provider "
        "within the profile's `urgent_referral_response` (by default 24 hours, a "
        "policy figure). Met when the provider accepts it or the service is "
        "delivered; not applicable once it is declined or closed (the case worker "
        "refers elsewhere). Open: warning; overdue: critical. Source: A/RES/68/179 "
        "para 7 (assistance to victims of crime)."
    ),
    "returns.concern": _(
        "Each concern found before a return blocks it until resolved: a later "
        "screening that finds the area clear, or, for an asylum claim or refugee "
        "status, a change of that status. A pending asylum claim or refugee status "
        "blocks a return by itself, screened or not, and so does a recovery and "
        "reflection period while it runs (protection.reflection_period). Escalated "
        "and critical while it blocks; met once resolved; lapses if the return is "
        "called off; a return carried out despite it stays escalated. Sources: "
        "A/RES/68/179 para 5(i), and each area's own (the 1951 Refugee Convention "
        "art. 33(1) for asylum, CAT art. 3 and ICCPR art. 7 for refoulement, the "
        "Palermo Protocol art. 8(2) and the Council of Europe Anti-Trafficking "
        "Convention art. 13 for trafficking, CRC arts. 3(1), 9 and 10 for children "
        "and families, CRPD art. 11 for disability, CEDAW art. 12(2) for pregnancy, "
        "para 4(g) for reception)."
    ),
    "returns.follow_up": _(
        "After a return, the person is followed up: reached, duly received in the "
        "country of return, and given the reintegration support agreed. By default "
        "within 30 calendar days of the return (the profile's `return_follow_up`, a "
        "policy figure). Met by `return_followed_up`. Open: info; overdue: warning. "
        "Sources: A/RES/68/179 paras 4(g), 5(i)."
    ),
    "returns.screening": _(
        "Before any return (voluntary, assisted or forced; to the country of "
        "nationality or a third country), the person must be screened for what makes "
        "it unsafe or unlawful: a child's best interests, trafficking, a pending "
        "asylum claim or a risk of refoulement, a disability or serious illness, "
        "pregnancy, family unity, and whether the country of return will receive the "
        "person duly. A supervisor approves the screening. Due by the planned date "
        "when one is given (else no deadline, but before the return). Met by "
        "`return_screening_approved` of the latest `return_screened`. Lapses if the "
        "return is called off. A return carried out or marked ready without an "
        "approved screening is escalated. Open: warning; overdue: critical. Sources: "
        "A/RES/68/179 paras 5(i), 4(g)."
    ),
}


def explanation(rule_id: str, english: str) -> str:
    """The rule's explanation in the active language; `english` (the docstring) for a
    rule this module does not know."""
    found = EXPLANATIONS.get(rule_id)
    return str(found) if found is not None else english
