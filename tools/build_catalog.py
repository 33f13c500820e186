"""Build the project's clinical catalog JSON files from the shared domain catalog (dev-time only).

Usage (from the repository root)::

    python3 tools/build_catalog.py [path/to/catalog.yaml] [--out catalog/data] [--check]

Reads ``catalog.yaml`` (default ``/work/shared/domain/catalog.yaml``) and writes normalised, pretty-printed JSON
(sorted keys, stable list order) into ``catalog/data/``.  Running it twice gives identical bytes; ``--check``
exits non-zero when the files on disk differ from what would be written.  The application never reads the YAML at run
time: it loads the JSON into the database (``catalog.store.read_files``), and the engine reads it through
``assessments.engine.load_catalog``.

Normalisation decisions (everything clinical still comes from the YAML; the additions below are vocabulary,
wording for display, or mechanical derivations, each documented here):

* ``sources``: every ``sources`` field in the output lists ids that exist in ``sources.json``.  Free-text citations in
  the YAML (safety rules, outcome measures) are kept verbatim in a ``citations`` field and mapped to new source ids
  (``CITATION_IDS``).  Two pseudo-sources are added for ids the YAML uses without defining: ``mainstream`` and
  ``author``.
* ``muscles``: ``practitioner_only`` is true when no tool (hands included) is rated ``good`` or ``ok``, i.e. every
  rating is ``caution``, ``not_suited`` or ``avoid`` -- self-care would need a practitioner's demonstration at best
  (``vocab.tool_rating_meaning``).  ``local_zones`` are the complaint zones of every symptom rule that lists the
  muscle with basis ``local`` (the muscle lies under that zone), narrowed to the muscle's own referral zones when
  they overlap (a rule may group several zones).  ``nodes`` are the kinetic-chain nodes where the
  muscle lies: ``REGION_NODES[region]`` plus the nodes of its ``local_zones``.  ``plain_name`` and ``synonyms`` are
  display/search vocabulary, not clinical claims.  AK associations always carry the exact label
  "AK tradition, not evidence-based"; any extra label text moves to ``note``.
* ``safety_rules``: ``SAFETY_SCOPE`` records which body areas a positive screen blocks (TO-00).  ``systemic`` rules
  (emergencies, systemic illness, or an unlocated "serious problem") block every muscle.  ``regional`` rules list
  muscle ``regions``, ``zones`` (explicit zones from the rule's own condition/action text plus the complaint zones of
  every symptom rule that lists the rule in ``red_flags``) and explicitly named ``muscles``; the engine blocks muscles
  in those regions, lying under those zones or named, plus (per visit) muscles referring into a painful blocked zone.
  ``local_caution`` rules block no treatment but withhold home care (light pressure, practitioner judgement).
  ``SAFETY_REACH`` adds each rule's ``reach`` (body, limb, area, none), whether it is ``lateral`` (blocks only the side
  the screen records) and its basis (CS-03); ``INJURY_SCREENS`` adds ``injury_zones``, the zones where the rule is a
  screen that excludes fracture or tendon tear after an acute injury (CS-02).
* Clinical-safety rules CS-01..CS-08 (``SAFETY_PRINCIPLES``) are appended to the universal principles with their
  ``params``; muscles over an endangerment site name the screen they need (``requires_screens``, CS-04); stressor kinds
  carry the ``evidence`` level of their link (CS-07); NPRS and ODI carry ``mcid_percent`` (CS-06).
* The structured history (issue 23) is the project's own, in ``catalog/history/history.yaml``: its vocabularies
  (mechanisms, courses, 24-hour patterns, activities, systemic signs, treatments with frequency, intensity and response,
  posture and gait observations with their chain node) go to ``meta.history``; its rules HX-01..HX-07 are appended to
  the universal principles like CS-01..CS-08, every stressor kind, safety rule, chain-link type, node and source they
  name checked here.
* ``stressors``: ``label`` is the practitioner's short label; each keeps the subtype's sources.
* The patient-language layer is the project's own, hand-written in ``catalog/patient_words/*.yaml`` (its README says
  how it is written and checked): muscles gain ``patient`` (name, where, care; ``plain_name`` is the patient name),
  stressor kinds ``patient_label`` and ``patient_action``, safety rules ``patient`` (signs by tier, the referral
  sentence) and ``meta.patient`` holds the tools, one dose per protocol, the tiers and the sheet's standing lines.
* ``kinetic_chain``: ``from``/``to`` are always lists, ``side_relation`` defaults to ``same`` for adjacent and
  mechanical links and ``any`` elsewhere (only KC-X1 states a side), ``examine_muscles`` is always a map
  (node -> muscles, key ``any`` when the YAML gives a plain list; the YAML key ``hip`` is the node ``hip_pelvis``;
  mechanical links examine their ``from`` muscles), ``trigger_stressors`` lists the stressor kinds that fire a
  non-injury link (from the stressor subtypes' ``links`` and the KC-X8 claim text); injury-type links fire from
  injury records.
* ``outcome_measures``: ids are the API's lowercase slugs; numeric range/MCID/direction come from the domain brief
  section (d) (QuickDASH MCID: the lower bound 10.8 of the reported MIC range).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SOURCE = Path("/work/shared/domain/catalog.yaml")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "catalog" / "data"
PATIENT_WORDS = Path(__file__).resolve().parent.parent / "catalog" / "patient_words"
HISTORY = Path(__file__).resolve().parent.parent / "catalog" / "history" / "history.yaml"

CATALOG_RELEASE = "2026.12.2"
AK_LABEL = "AK tradition, not evidence-based"
DEFAULT_PROTOCOL = "PROT-SOCKDOC-MANUAL"

PSEUDO_SOURCES: dict[str, dict[str, Any]] = {
    "mainstream": {
        "kind": "pseudo",
        "title": "Mainstream clinical red-flag practice (the specific citations are listed on each safety rule)",
    },
    "author": {
        "kind": "pseudo",
        "title": "Catalog compiler's own knowledge (standard textbook material; medium confidence, not re-verified)",
    },
}

CITATION_SOURCES: dict[str, dict[str, Any]] = {
    "Wells1997": {"kind": "article", "cite": "Wells PS et al. Lancet 1997;350:1795-1798 (Wells DVT score)"},
    "BMJ_BP_modified_Wells": {
        "kind": "web",
        "title": "BMJ Best Practice: DVT criteria (modified Wells)",
        "url": "https://bestpractice-bmj-com.bibliotheek.ehb.be/topics/en-gb/70/criteria",
    },
    "VTE_massage_2010": {
        "kind": "article",
        "cite": "Case: VTE after vigorous deep-tissue massage, Physician and Sportsmedicine 2010;38(4):136-139",
    },
    "PE_leg_massage_2020": {
        "kind": "article",
        "cite": "Case: PE during leg massage in pregnancy, BMC Pregnancy Childbirth 2020 "
        "(doi 10.1186/s12884-020-02924-w)",
    },
    "Greenhalgh2018": {
        "kind": "article",
        "cite": "Greenhalgh S, Finucane L, Mercer C, Selfe J. Assessment and management of cauda equina syndrome. "
        "Musculoskelet Sci Pract 2018;37:69-74",
    },
    "Finucane2020": {
        "kind": "article",
        "cite": "Finucane LM et al. International framework for red flags for potential serious spinal pathologies. "
        "JOSPT 2020;50(7):350-372",
    },
    "NICE_CKS_sciatica": {"kind": "web", "title": "NICE CKS sciatica red flags"},
    "heyneurosurgeon_red_flags": {
        "kind": "web",
        "title": "Red flag conditions and cauda equina syndrome",
        "url": "https://www.heyneurosurgeon.co.uk/red-flag-conditions-and-cauda-equina-syndrome/",
    },
    "Stiell1992_ankle": {
        "kind": "article",
        "cite": "Stiell IG et al. Ann Emerg Med 1992 (Ottawa ankle rules); sensitivity ~99%, specificity ~30-40% "
        "(Bachmann 2003 BMJ review)",
    },
    "physiopedia_ottawa_ankle": {
        "kind": "web",
        "title": "Ottawa Ankle Rules (Physiopedia)",
        "url": "https://www.physio-pedia.com/Ottawa_Ankle_Rules",
    },
    "Stiell_knee": {"kind": "article", "cite": "Stiell IG et al. (Ottawa knee rule, 1995-1997)"},
    "spoonfulsugar_ottawa": {
        "kind": "web",
        "title": "Ottawa rules summary (secondary)",
        "url": "https://spoonfulsugar.wordpress.com/2012/04/30/ottawa-rules/",
    },
    "AAOS_achilles": {
        "kind": "guideline",
        "cite": "AAOS clinical practice guideline on acute Achilles tendon rupture (2009/2010)",
        "note": "cited from author knowledge, verify",
    },
    "Rushton2023_IFOMPT": {
        "kind": "article",
        "cite": "Rushton A et al. International Framework for Examination of the Cervical Region for potential of "
        "vascular pathologies of the neck prior to musculoskeletal intervention (IFOMPT Cervical Framework). "
        "JOSPT 2023;53(1):7-22",
    },
    "Werner_pathology": {
        "kind": "book",
        "cite": "Werner R. A Massage Therapist's Guide to Pathology",
        "note": "not read when compiling",
    },
    "Childs2005": {"kind": "article", "cite": "Childs JD et al. Spine 2005;30(11):1331-1334 (PMID 15928561)"},
    "Farrar2001": {"kind": "article", "cite": "Farrar JT et al. Pain 2001;94:149-158"},
    "Ostelo2008": {"kind": "article", "cite": "Ostelo RW et al. Spine 2008;33(1):90-94"},
    "AbbottSchmitt2014": {"kind": "article", "cite": "Abbott JH, Schmitt JS. JOSPT 2014;44(8):560-564"},
    "Fischer1987": {"kind": "article", "cite": "Fischer AA. Pain 1987;30:115-126 (normal values)"},
    "Walton2011": {"kind": "article", "cite": "Walton DM et al. JOSPT 2011;41(9):644-650"},
    "Walton2014": {
        "kind": "article",
        "cite": "Walton DM et al. Phys Ther 2014 (protocol, responsiveness) -- summary at physiospot.com",
    },
    "Stratford1995": {"kind": "article", "cite": "Stratford P et al. Physiother Can 1995;47:258-263"},
    "Horn2012": {"kind": "article", "cite": "Horn KK et al. JOSPT 2012;42(1):30-42"},
    "Binkley1999": {"kind": "article", "cite": "Binkley JM et al. Phys Ther 1999;79(4):371-383"},
    "VernonMior1991": {"kind": "article", "cite": "Vernon H, Mior S. JMPT 1991;14:409-415"},
    "Vernon2008": {"kind": "article", "cite": "Vernon H. JMPT 2008;31:491-502 (state of the art)"},
    "Fairbank2000": {"kind": "article", "cite": "Fairbank JCT, Pynsent PB. Spine 2000;25:2940-2953"},
    "MRC1976": {
        "kind": "book",
        "cite": "Medical Research Council. Aids to the examination of the peripheral nervous system. HMSO (1943; 1976)",
    },
    "getm_MRC": {
        "kind": "web",
        "title": "Medical Research Council scale (motor testing)",
        "url": "http://getm.sen.es/escalas-de-valoracion/medical-research-council-scale-motor-testing/",
    },
    "Rysstad2020": {"kind": "article", "cite": "Rysstad T et al. BMC Musculoskelet Disord 2020;21:328"},
    "vanTulder2006": {
        "kind": "guideline",
        "cite": "van Tulder M et al. Chapter 3. European guidelines for the management of acute nonspecific low back "
        "pain in primary care. Eur Spine J 2006;15(Suppl 1):S169-S191 (acute: under 6 weeks; subacute 6-12 weeks)",
        "note": "cited from author knowledge, verify",
    },
}

# Free-text citation (exact YAML string) -> source ids.  Unknown strings stop the build.
CITATION_IDS: dict[str, list[str]] = {
    "Wells PS et al. Lancet 1997;350:1795-1798 (score)": ["Wells1997"],
    "https://bestpractice-bmj-com.bibliotheek.ehb.be/topics/en-gb/70/criteria (modified Wells)": [
        "BMJ_BP_modified_Wells"
    ],
    "Case: VTE after vigorous deep-tissue massage, Physician and Sportsmedicine 2010;38(4):136-139": [
        "VTE_massage_2010"
    ],
    "Case: PE during leg massage in pregnancy, BMC Pregnancy Childbirth 2020 (doi 10.1186/s12884-020-02924-w)": [
        "PE_leg_massage_2020"
    ],
    "nielasher_TP lists DVT in the tibialis-posterior differential": ["nielasher_TP"],
    "Greenhalgh S, Finucane L, Mercer C, Selfe J. Assessment and management of cauda equina syndrome. "
    "Musculoskelet Sci Pract 2018;37:69-74": ["Greenhalgh2018"],
    "Finucane LM et al. International framework for red flags for potential serious spinal pathologies. "
    "JOSPT 2020;50(7):350-372": ["Finucane2020"],
    "NICE CKS sciatica red flags": ["NICE_CKS_sciatica"],
    "Finucane 2020 JOSPT framework": ["Finucane2020"],
    "https://www.heyneurosurgeon.co.uk/red-flag-conditions-and-cauda-equina-syndrome/": ["heyneurosurgeon_red_flags"],
    "Stiell IG et al. Ann Emerg Med 1992 (Ottawa ankle rules); sensitivity ~99%, specificity ~30-40% "
    "(Bachmann 2003 BMJ review)": ["Stiell1992_ankle"],
    "https://www.physio-pedia.com/Ottawa_Ankle_Rules": ["physiopedia_ottawa_ankle"],
    "Stiell IG et al. (Ottawa knee rule, 1995-1997)": ["Stiell_knee"],
    "summary at https://spoonfulsugar.wordpress.com/2012/04/30/ottawa-rules/ (secondary)": ["spoonfulsugar_ottawa"],
    "author knowledge (medium confidence)": ["author"],
    "AAOS clinical practice guideline on acute Achilles tendon rupture (2009/2010): diagnosis by >=2 of Thompson "
    "test, decreased plantarflexion strength, palpable gap, increased passive dorsiflexion -- cited from author "
    "knowledge, verify": ["AAOS_achilles"],
    "author knowledge; NAMTPT tibialis-posterior page lists deep posterior compartment syndrome as a differential": [
        "author",
        "NAMTPT",
    ],
    "Rushton A et al. International Framework for Examination of the Cervical Region for potential of vascular "
    "pathologies of the neck prior to musculoskeletal intervention (IFOMPT Cervical Framework). JOSPT 2023;53(1):7-22 "
    "(2020 IFOMPT document)": ["Rushton2023_IFOMPT"],
    "general neurology red flags (author knowledge; commonly summarised as SNOOP)": ["author"],
    "TS_v1 (cardiac disease must be excluded before diagnosing pectoral TrPs); general medical knowledge": [
        "TS_v1",
        "author",
    ],
    "TS_v2 (gluteus minimus pseudo-sciatica)": ["TS_v2"],
    "painfreehealth_gmin": ["painfreehealth_gmin"],
    "author knowledge": ["author"],
    "general medical red flags (author knowledge, medium confidence)": ["author"],
    "massage pathology teaching, e.g. Werner R. A Massage Therapist's Guide to Pathology (not read when compiling)": [
        "Werner_pathology"
    ],
    "BMC Pregnancy Childbirth 2020 case (leg massage in pregnancy)": ["PE_leg_massage_2020"],
    "massage-education standard (author knowledge, medium confidence)": ["author"],
    "Childs JD et al. Spine 2005;30(11):1331-1334 (PMID 15928561)": ["Childs2005"],
    "Farrar JT et al. Pain 2001;94:149-158": ["Farrar2001"],
    "Ostelo RW et al. Spine 2008;33(1):90-94": ["Ostelo2008"],
    "Abbott JH, Schmitt JS. JOSPT 2014;44(8):560-564": ["AbbottSchmitt2014"],
    "Abbott & Schmitt JOSPT 2014": ["AbbottSchmitt2014"],
    "Fischer AA. Pain 1987;30:115-126 (normal values)": ["Fischer1987"],
    "Walton DM et al. JOSPT 2011;41(9):644-650": ["Walton2011"],
    "Walton DM et al. Phys Ther 2014 (protocol, responsiveness) -- summary at physiospot.com": ["Walton2014"],
    "Stratford P et al. Physiother Can 1995;47:258-263": ["Stratford1995"],
    "Horn KK et al. JOSPT 2012;42(1):30-42": ["Horn2012"],
    "Binkley JM et al. Phys Ther 1999;79(4):371-383": ["Binkley1999"],
    "Vernon H, Mior S. JMPT 1991;14:409-415": ["VernonMior1991"],
    "Vernon H. JMPT 2008;31:491-502 (state of the art)": ["Vernon2008"],
    "Fairbank JCT, Pynsent PB. Spine 2000;25:2940-2953": ["Fairbank2000"],
    "author knowledge (medium)": ["author"],
    "Medical Research Council. Aids to the examination of the peripheral nervous system. HMSO (1943; 1976)": [
        "MRC1976"
    ],
    "http://getm.sen.es/escalas-de-valoracion/medical-research-council-scale-motor-testing/": ["getm_MRC"],
    "Rysstad T et al. BMC Musculoskelet Disord 2020;21:328": ["Rysstad2020"],
}

ZONE_LABELS: dict[str, str] = {
    "temple": "Temple",
    "forehead": "Forehead",
    "eye_orbit": "Eye / behind the eye",
    "cheek_face": "Cheek / face",
    "jaw_tmj": "Jaw / TMJ",
    "teeth": "Teeth",
    "ear": "Ear",
    "vertex": "Top of the head (vertex)",
    "occiput": "Back of the head (occiput)",
    "posterior_neck": "Back of the neck",
    "anterior_neck_throat": "Front of the neck / throat",
    "neck_shoulder_angle": "Angle of the neck and shoulder",
    "top_of_shoulder": "Top of the shoulder",
    "anterior_shoulder": "Front of the shoulder",
    "lateral_shoulder_deltoid": "Side of the shoulder (deltoid)",
    "posterior_shoulder": "Back of the shoulder",
    "medial_scapular_border": "Inner border of the shoulder blade",
    "interscapular": "Between the shoulder blades",
    "inferior_scapular_angle": "Lower tip of the shoulder blade",
    "thoracic_mid_back": "Mid back (thoracic)",
    "anterior_chest": "Front of the chest",
    "lateral_chest": "Side of the chest",
    "upper_arm_anterior": "Front of the upper arm",
    "upper_arm_posterior": "Back of the upper arm",
    "upper_arm_lateral": "Outer upper arm",
    "anterior_elbow": "Front of the elbow",
    "lateral_elbow": "Outer elbow (lateral epicondyle)",
    "medial_elbow": "Inner elbow (medial epicondyle)",
    "forearm_dorsal": "Back of the forearm",
    "forearm_radial": "Thumb side of the forearm",
    "wrist_dorsal": "Back of the wrist",
    "wrist_band": "Band around the wrist",
    "hand_radial_thumb": "Thumb side of the hand",
    "hand_ulnar_fingers": "Ring and little fingers (ulnar hand)",
    "lumbar": "Low back (lumbar)",
    "sacroiliac": "Sacroiliac joint region",
    "sacrum_coccyx": "Sacrum / tailbone",
    "buttock": "Buttock",
    "lateral_hip_trochanter": "Outer hip (greater trochanter)",
    "groin": "Groin",
    "pelvic_internal": "Deep pelvis",
    "abdomen": "Abdomen",
    "anterior_thigh": "Front of the thigh",
    "medial_thigh": "Inner thigh",
    "lateral_thigh": "Outer thigh (IT band area)",
    "posterior_thigh": "Back of the thigh",
    "anterior_knee_patella": "Front of the knee (kneecap)",
    "medial_knee": "Inner knee",
    "lateral_knee": "Outer knee",
    "posterior_knee": "Back of the knee",
    "calf": "Calf",
    "anterior_shin": "Front of the shin",
    "medial_shin": "Inner shin",
    "lateral_leg": "Outer lower leg",
    "anterior_ankle": "Front of the ankle",
    "lateral_ankle": "Outer ankle",
    "medial_ankle": "Inner ankle",
    "achilles": "Achilles tendon",
    "posterior_heel": "Back of the heel",
    "plantar_heel": "Underside of the heel",
    "arch_instep": "Arch / instep",
    "plantar_forefoot": "Ball of the foot",
    "dorsal_foot": "Top of the foot",
    "lateral_foot": "Outer edge of the foot",
    "big_toe": "Big toe",
    "lesser_toes": "Lesser toes",
}

# Where a muscle region lies on the kinetic chain (thigh and leg muscles cross the knee and ankle respectively).
REGION_NODES: dict[str, list[str]] = {
    "head_neck": ["neck", "head_jaw"],
    "shoulder_arm": ["shoulder"],
    "trunk_low_back": ["lumbar_spine", "thoracic_spine"],
    "hip": ["hip_pelvis"],
    "thigh": ["hip_pelvis", "knee"],
    "leg": ["lower_leg", "ankle"],
    "foot": ["foot"],
}

# muscle id -> (plain name for patients, synonyms a practitioner might type)
MUSCLE_NAMES: dict[str, tuple[str, list[str]]] = {
    "trapezius_upper": (
        "top of the shoulder muscle (upper trapezius)",
        ["upper trap", "upper traps", "trapezius", "traps"],
    ),
    "trapezius_middle": (
        "muscle between the shoulder blades (middle trapezius)",
        ["middle trap", "mid trap", "trapezius"],
    ),
    "trapezius_lower": ("lower middle back muscle (lower trapezius)", ["lower trap", "trapezius"]),
    "levator_scapulae": (
        "neck to shoulder blade muscle (levator scapulae)",
        ["levator", "levator scap"],
    ),
    "sternocleidomastoid": ("neck strap muscle (sternocleidomastoid)", ["SCM", "sterno"]),
    "scalenes": (
        "deep side neck muscles (scalenes)",
        ["scalene", "scalenus", "anterior scalene", "middle scalene"],
    ),
    "suboccipitals": ("small muscles under the skull (suboccipitals)", ["suboccipital", "suboccs"]),
    "splenius": ("back of the neck muscle (splenius)", ["splenius capitis", "splenius cervicis"]),
    "masseter": ("jaw muscle (masseter)", ["jaw muscle"]),
    "temporalis": ("temple muscle (temporalis)", ["temple muscle", "temporal muscle"]),
    "supraspinatus": ("upper shoulder blade muscle (supraspinatus)", ["supra", "rotator cuff"]),
    "infraspinatus": ("back of the shoulder blade muscle (infraspinatus)", ["infra", "rotator cuff"]),
    "teres_minor": ("outer shoulder blade muscle (teres minor)", ["teres", "rotator cuff"]),
    "subscapularis": ("muscle under the shoulder blade (subscapularis)", ["subscap", "rotator cuff"]),
    "rhomboids": (
        "inner shoulder blade muscles (rhomboids)",
        ["rhomboid", "rhomboid major", "rhomboid minor"],
    ),
    "pectoralis_major": ("chest muscle (pectoralis major)", ["pec major", "pecs", "pec"]),
    "pectoralis_minor": ("deep chest muscle (pectoralis minor)", ["pec minor", "pecs"]),
    "deltoid": ("shoulder cap muscle (deltoid)", ["delt", "delts"]),
    "latissimus_dorsi": ("broad back muscle (latissimus dorsi)", ["lat", "lats"]),
    "serratus_anterior": ("side rib muscle (serratus anterior)", ["serratus"]),
    "biceps_brachii": ("front upper arm muscle (biceps)", ["biceps", "bicep"]),
    "triceps_brachii": ("back upper arm muscle (triceps)", ["triceps", "tricep"]),
    "brachioradialis": ("forearm muscle near the elbow (brachioradialis)", ["brachio"]),
    "wrist_extensors_radial": (
        "forearm muscles that lift the wrist (extensor carpi radialis)",
        ["ECRL", "ECRB", "extensor carpi radialis", "wrist extensors"],
    ),
    "supinator": ("deep forearm muscle below the elbow (supinator)", []),
    "erector_spinae": (
        "long muscles beside the spine (erector spinae)",
        ["erectors", "paraspinals", "iliocostalis", "longissimus"],
    ),
    "multifidus": (
        "deep muscles beside the spine (multifidus)",
        ["multifidi", "rotatores", "deep paraspinals"],
    ),
    "quadratus_lumborum": ("deep low back muscle (quadratus lumborum)", ["QL", "quadratus"]),
    "iliopsoas": ("deep muscle that lifts the thigh (iliopsoas)", ["psoas", "iliacus", "hip flexor", "psoas major"]),
    "rectus_abdominis": ("six-pack muscle (rectus abdominis)", ["abs", "abdominals", "six pack"]),
    "gluteus_maximus": ("big buttock muscle (gluteus maximus)", ["glute max", "glutes"]),
    "gluteus_medius": ("side hip muscle (gluteus medius)", ["glute med", "glutes"]),
    "gluteus_minimus": ("deep side hip muscle (gluteus minimus)", ["glute min", "glutes"]),
    "piriformis": ("deep buttock muscle (piriformis)", ["piri"]),
    "tensor_fasciae_latae": (
        "small front hip muscle (tensor fasciae latae)",
        ["TFL", "tensor fascia lata"],
    ),
    "adductors_longus_brevis": (
        "groin muscles (adductor longus and brevis)",
        ["adductors", "groin muscles", "adductor longus", "adductor brevis"],
    ),
    "adductor_magnus": ("big inner thigh muscle (adductor magnus)", ["adductors", "magnus"]),
    "rectus_femoris": ("front thigh muscle (rectus femoris)", ["quads", "quadriceps", "rec fem"]),
    "vastus_medialis": ("inner thigh muscle above the knee (vastus medialis)", ["VMO", "quads", "quadriceps"]),
    "vastus_lateralis": ("outer thigh muscle (vastus lateralis)", ["VL", "quads", "quadriceps"]),
    "vastus_intermedius": ("deep front thigh muscle (vastus intermedius)", ["quads", "quadriceps"]),
    "biceps_femoris": ("outer hamstring (biceps femoris)", ["hamstrings", "hamstring", "lateral hamstring"]),
    "semitendinosus_semimembranosus": (
        "inner hamstrings (semitendinosus and semimembranosus)",
        ["hamstrings", "hamstring", "medial hamstring", "semitendinosus", "semimembranosus"],
    ),
    "sartorius": ("long strap muscle of the thigh (sartorius)", ["tailor's muscle"]),
    "gracilis": ("thin inner thigh muscle (gracilis)", []),
    "gastrocnemius": ("calf muscle (gastrocnemius)", ["calf", "calves", "gastroc", "gastrocs"]),
    "soleus": ("deep calf muscle (soleus)", ["calf", "calves"]),
    "popliteus": ("back of the knee muscle (popliteus)", []),
    "tibialis_anterior": ("shin muscle (tibialis anterior)", ["tib ant", "TA", "shin muscle"]),
    "tibialis_posterior": (
        "deepest calf muscle (tibialis posterior)",
        ["tib post", "tib posterior", "posterior tibialis"],
    ),
    "fibularis_longus_brevis": (
        "outer lower leg muscles (fibularis longus and brevis)",
        ["peroneals", "peroneal", "peroneus longus", "peroneus brevis", "fibularis"],
    ),
    "extensor_digitorum_longus": ("muscle that lifts the toes (extensor digitorum longus)", ["EDL", "toe extensors"]),
    "extensor_hallucis_longus": ("muscle that lifts the big toe (extensor hallucis longus)", ["EHL"]),
    "flexor_digitorum_longus": ("muscle that curls the toes (flexor digitorum longus)", ["FDL", "toe flexors"]),
    "flexor_hallucis_longus": ("muscle that curls the big toe (flexor hallucis longus)", ["FHL"]),
    "abductor_hallucis": ("inner arch muscle (abductor hallucis)", ["abductor hallux"]),
    "flexor_digitorum_brevis": ("muscle in the middle of the sole (flexor digitorum brevis)", ["FDB"]),
    "quadratus_plantae": ("deep sole muscle near the heel (quadratus plantae)", []),
    "extensor_digitorum_brevis": (
        "small muscle on top of the foot (extensor digitorum brevis)",
        ["EDB", "EHB", "extensor hallucis brevis"],
    ),
}

RULE_NAMES: dict[str, str] = {
    "SYM-HEAD-TEMPLE": "Temple headache",
    "SYM-HEAD-FRONTAL-ORBITAL": "Forehead or eye-area headache",
    "SYM-HEAD-VERTEX-OCCIPUT": "Top or back of the head pain",
    "SYM-JAW-TEETH": "Jaw, tooth or cheek pain",
    "SYM-NECK": "Neck pain",
    "SYM-SHOULDER-ANTERIOR": "Front-of-shoulder pain",
    "SYM-SHOULDER-LATERAL-TOP": "Side or top of the shoulder pain",
    "SYM-SHOULDER-POSTERIOR": "Back-of-shoulder pain",
    "SYM-INTERSCAPULAR": "Pain between or along the shoulder blades",
    "SYM-ARM-RADIAL-THUMB": "Thumb-side forearm and hand pain",
    "SYM-ELBOW-LATERAL": "Outer elbow pain ('tennis elbow')",
    "SYM-HAND-ULNAR": "Ring and little finger side hand pain",
    "SYM-CHEST-ANTERIOR": "Front-of-chest pain",
    "SYM-CHEST-LATERAL": "Side-of-chest pain",
    "SYM-MID-BACK": "Mid-back pain",
    "SYM-LOW-BACK": "Low back pain",
    "SYM-SI-BUTTOCK": "Sacroiliac, buttock or tailbone pain",
    "SYM-HIP-LATERAL": "Outer hip pain",
    "SYM-GROIN": "Groin or deep pelvic pain",
    "SYM-THIGH-ANTERIOR": "Front-of-thigh pain",
    "SYM-THIGH-LATERAL-ITB": "Outer thigh pain ('IT band')",
    "SYM-THIGH-POSTERIOR": "Back-of-thigh pain",
    "SYM-KNEE-ANTERIOR": "Front-of-knee pain",
    "SYM-KNEE-MEDIAL": "Inner knee pain",
    "SYM-KNEE-LATERAL": "Outer knee pain",
    "SYM-KNEE-POSTERIOR": "Back-of-knee pain",
    "SYM-CALF": "Calf pain",
    "SYM-SHIN": "Shin pain",
    "SYM-ACHILLES-POSTERIOR-HEEL": "Achilles or back-of-heel pain",
    "SYM-HEEL-PLANTAR": "Plantar heel pain ('plantar fasciitis')",
    "SYM-ARCH-INSTEP": "Arch or instep pain",
    "SYM-FOREFOOT-PLANTAR": "Ball-of-foot pain",
    "SYM-FOOT-DORSAL": "Top-of-foot or lesser-toe pain",
    "SYM-LATERAL-LEG-ANKLE": "Outer leg, ankle or foot pain",
    "SYM-ANKLE-ANTERIOR-BIG-TOE": "Front-of-ankle or big-toe pain",
    "SYM-EAR": "Ear pain",
    "SYM-THROAT": "Throat or front-of-neck pain",
    "SYM-UPPER-ARM": "Upper arm pain",
    "SYM-ELBOW-MEDIAL-ANTERIOR": "Inner or front-of-elbow pain",
    "SYM-FOREARM-WRIST-DORSAL": "Back of the forearm or wrist pain",
    "SYM-ABDOMEN": "Abdominal pain",
    "SYM-THIGH-MEDIAL": "Inner thigh pain",
    "SYM-ANKLE-MEDIAL": "Inner ankle pain",
}

LINK_NAMES: dict[str, str] = {
    "KC-01": "Adjacent chain: foot and ankle",
    "KC-02": "Adjacent chain: ankle and lower leg",
    "KC-02b": "Adjacent chain: lower leg and knee",
    "KC-03": "Adjacent chain: knee and hip/pelvis",
    "KC-04": "Adjacent chain: hip/pelvis and low back",
    "KC-05": "Adjacent chain: low back and thoracic spine",
    "KC-06": "Adjacent chain: thoracic spine and shoulder",
    "KC-07": "Adjacent chain: shoulder and neck",
    "KC-08": "Adjacent chain: neck and head/jaw",
    "KC-X1": "Old shoulder injury and opposite-side hip pain",
    "KC-X2": "Old ankle injury and shoulder pain",
    "KC-X3": "Foot problem and knee, low back or neck pain",
    "KC-X4": "Thigh/hip problem and foot pain",
    "KC-X5": "Abdominal distension and low back/hip pain",
    "KC-X6": "Calf trigger points, reduced dorsiflexion and plantar foot pain",
    "KC-X7": "Fatigued tibialis posterior and arch tenderness",
    "KC-X8": "Training/recovery stress and knee-to-foot imbalance (AK tradition, not evidence-based)",
}

ADJACENT_CLAIM = (
    "Adjacent segments of the kinetic chain influence each other: 'the foot affecting the knee - the knee affecting "
    "the hip - the hip affecting the spine' (seed_001); links are bidirectional for examination purposes."
)

# Links that fire from the injury history (Injury records), not from a stressor.
INJURY_LINK_TYPES = ("adjacent", "gait_cross_link", "remote_old_injury", "remote")

# Stressor kinds named in the KC-X8 claim text ("anaerobic overtraining, inadequate recovery, poor sleep").
KC_X8_STRESSORS = ["anaerobic_overtraining", "inadequate_recovery", "poor_sleep"]

TO_NAMES: dict[str, tuple[str, str]] = {
    "TO-00": ("Safety gate: refer positive red flags", "refer"),
    "TO-01": ("Address the stressors in the same visit", "address_stressor"),
    "TO-02": ("Acute local injury: work around it early", "treat_trigger_point"),
    "TO-03": ("Old injury on a linked chain first", "treat_remote_driver"),
    "TO-04": ("Treat source muscles away from the pain", "treat_trigger_point"),
    "TO-05": ("Active before latent trigger points", "treat_trigger_point"),
    "TO-06": ("Re-test after each treated point", "retest"),
    "TO-07": ("Rehabilitation only after the imbalance is corrected", "rehab"),
    "TO-08": ("Recurring points: the source is not corrected", "follow_up"),
    "TO-09": ("Dose ceiling: sore next day, rest", "follow_up"),
}

# stressor kind -> the practitioner's short label (the patient's words are in catalog/patient_words/stressors.yaml)
STRESSOR_LABELS: dict[str, str] = {
    "footwear": "Footwear not right for the person",
    "rapid_footwear_transition": "Changing footwear too quickly",
    "orthotics_supports_changing_gait": "Orthotics or foot supports changing the gait",
    "injury_history": "Injury history (recent or old)",
    "posture_ergonomics": "Posture and ergonomics",
    "repetitive_overuse": "Repetitive overuse",
    "body_weight": "Body weight",
    "sleep_position_recumbency": "Sleep or lying position",
    "prolonged_taping_bracing": "Prolonged taping or bracing",
    "static_stretching": "Static stretching",
    "over_aggressive_treatment": "Over-aggressive or over-frequent treatment",
    "refined_sugar": "Refined sugar",
    "inflammatory_fats": '"Inflammatory-type" fats',
    "poor_diet_general": "Poor diet or nutrition",
    "gut_distension_bloating": "Bloating or abdominal distension",
    "visceral_hormonal": "Visceral or hormonal influences",
    "poor_sleep": "Poor sleep",
    "work_commitments_stress": "Work and commitments stress",
    "anaerobic_overtraining": "Training too hard (anaerobic overtraining)",
    "inadequate_recovery": "Inadequate recovery",
    "rapid_load_increase": "Increasing training load too fast",
}

PROTOCOL_TEXT: dict[str, dict[str, Any]] = {
    "PROT-SOCKDOC-MANUAL": {
        "name": "Manual pressure: hold, circular or back-and-forth",
        "muscles": [],
        "dose": {
            "seconds_min": 10,
            "seconds_max": None,
            "times_per_day_min": None,
            "times_per_day_max": None,
        },
    },
    "PROT-STROKING": {
        "name": "Deep stroking, no static pressure",
        "muscles": [],
        "dose": {"seconds_min": 30, "seconds_max": 30, "times_per_day_min": 3, "times_per_day_max": 10},
        "intensity_max": 7,
    },
    "PROT-FOAM-ROLLER-QUADS": {
        "name": "Foam roller: front of the thigh",
        "muscles": ["rectus_femoris", "vastus_medialis", "vastus_lateralis", "vastus_intermedius"],
        "dose": {
            "seconds_min": 60,
            "seconds_max": None,
            "times_per_day_min": None,
            "times_per_day_max": None,
        },
    },
    "PROT-FOAM-ROLLER-PARASPINAL": {
        "name": "Foam roller: between the shoulder blades",
        "muscles": ["trapezius_middle", "erector_spinae"],
        "dose": {
            "seconds_min": None,
            "seconds_max": None,
            "times_per_day_min": None,
            "times_per_day_max": None,
        },
    },
    "PROT-BALL-HOLD": {
        "name": "Ball hold: piriformis or above the shoulder blade",
        "muscles": ["piriformis", "trapezius_upper"],
        "dose": {"seconds_min": 30, "seconds_max": 60, "times_per_day_min": None, "times_per_day_max": None},
    },
    "PROT-STICK": {
        "name": "Massage stick: side of the thigh or calves",
        "muscles": ["vastus_lateralis", "gastrocnemius", "soleus", "fibularis_longus_brevis"],
        "dose": {"seconds_min": 60, "seconds_max": 60, "times_per_day_min": None, "times_per_day_max": None},
    },
}

LIMB_GROUPS = ["thigh_knee", "leg_ankle", "foot"]

# Which body areas a positive screen blocks (TO-00).  zone_groups expand to every zone of that group; the complaint
# zones of symptom rules listing the rule in red_flags are added automatically.
SAFETY_SCOPE: dict[str, dict[str, Any]] = {
    "SAFE-S1": {"scope": "local_caution", "refers": False, "urgency": None},
    "SAFE-S2": {"scope": "systemic", "refers": True, "urgency": "urgent"},
    "SAFE-S3": {"scope": "advisory", "refers": False, "urgency": None},
    "SAFE-S4": {"scope": "advisory", "refers": False, "urgency": None},
    "SAFE-S5": {"scope": "advisory", "refers": False, "urgency": None},
    "SAFE-S6": {"scope": "advisory", "refers": False, "urgency": None},
    "SAFE-S7": {"scope": "advisory", "refers": False, "urgency": None},
    "SAFE-S8": {"scope": "advisory", "refers": False, "urgency": None},
    "SAFE-S9": {"scope": "advisory", "refers": False, "urgency": None},
    "SAFE-M-DVT": {
        "scope": "regional",
        "refers": True,
        "urgency": "same_day",
        "regions": ["thigh", "leg", "foot"],
        "zone_groups": LIMB_GROUPS,
        "basis": "action: 'NO massage/TrP/rolling of that limb' (the whole lower limb)",
    },
    "SAFE-M-CES": {
        "scope": "systemic",
        "refers": True,
        "urgency": "emergency",
        "basis": "emergency referral",
    },
    "SAFE-M-SPINE-SERIOUS": {
        "scope": "systemic",
        "refers": True,
        "urgency": "urgent",
        "basis": "malignancy/infection/fracture: 'do not treat as myofascial until medically assessed'",
    },
    "SAFE-M-FRACTURE-ANKLE-FOOT": {
        "scope": "regional",
        "refers": True,
        "urgency": "urgent",
        "regions": ["foot"],
        "zones": ["anterior_ankle", "lateral_ankle", "medial_ankle"],
        "zone_groups": ["foot"],
        "basis": "malleoli, 5th metatarsal base, navicular: 'X-ray referral before treatment of the area'",
    },
    "SAFE-M-FRACTURE-KNEE": {
        "scope": "regional",
        "refers": True,
        "urgency": "urgent",
        "zones": ["anterior_knee_patella", "medial_knee", "lateral_knee", "posterior_knee"],
        "basis": "Ottawa knee rule: patella, fibular head, knee flexion",
    },
    "SAFE-M-FRACTURE-STRESS": {
        "scope": "regional",
        "refers": True,
        "urgency": "routine",
        "zones": [
            "anterior_shin",
            "medial_shin",
            "plantar_heel",
            "posterior_heel",
            "arch_instep",
            "plantar_forefoot",
            "dorsal_foot",
            "lateral_foot",
        ],
        "basis": "tibia, metatarsal, navicular, calcaneus: 'no TrP work on the bone site'",
    },
    "SAFE-M-TENDON-RUPTURE": {
        "scope": "regional",
        "refers": True,
        "urgency": "urgent",
        "zones": ["calf", "achilles", "posterior_heel"],
        "basis": "Achilles rupture signs (calf squeeze, gap, plantarflexion): 'no local pressure'",
    },
    "SAFE-M-COMPARTMENT": {
        "scope": "regional",
        "refers": True,
        "urgency": "emergency",
        "regions": ["leg"],
        "zones": ["calf", "anterior_shin", "medial_shin", "lateral_leg"],
        "basis": "leg compartments; acute = emergency",
    },
    "SAFE-M-CAD": {
        "scope": "regional",
        "refers": True,
        "urgency": "urgent",
        "regions": ["head_neck"],
        "zone_groups": ["head_neck"],
        "basis": "'before neck work': stop neck and head work",
    },
    "SAFE-M-HEADACHE": {
        "scope": "regional",
        "refers": True,
        "urgency": "urgent",
        "regions": ["head_neck"],
        "zone_groups": ["head_neck"],
        "basis": "'do not attribute to TrPs': head and neck sources are not treated",
    },
    "SAFE-M-CARDIAC": {
        "scope": "systemic",
        "refers": True,
        "urgency": "emergency",
        "basis": "emergency services",
    },
    "SAFE-M-NEURO": {
        "scope": "regional",
        "refers": True,
        "urgency": "routine",
        "muscles": ["gluteus_minimus", "scalenes"],
        "basis": "TrP referral (gluteus minimus 'pseudo-sciatica', scalenes) only after a normal neurological screen",
    },
    "SAFE-M-HIP-GROIN": {
        "scope": "regional",
        "refers": True,
        "urgency": "routine",
        "zones": ["groin", "pelvic_internal"],
        "basis": "hip joint / visceral causes of groin pain",
    },
    "SAFE-M-ABDOMEN": {
        "scope": "regional",
        "refers": True,
        "urgency": "urgent",
        "zones": ["abdomen"],
        "muscles": ["iliopsoas", "rectus_abdominis"],
        "basis": "'no deep abdominal (psoas/rectus) pressure until cleared'",
    },
    "SAFE-M-LOCAL-CONTRA": {
        "scope": "local_caution",
        "refers": False,
        "urgency": None,
        "basis": "'avoid or use light pressure only; practitioner judgement' (site not recorded by the screen)",
    },
    "SAFE-M-ENDANGERMENT": {
        "scope": "local_caution",
        "refers": False,
        "urgency": None,
        "muscles": [
            "sternocleidomastoid",
            "scalenes",
            "subscapularis",
            "pectoralis_minor",
            "adductors_longus_brevis",
            "sartorius",
            "iliopsoas",
            "rectus_abdominis",
            "popliteus",
            "gastrocnemius",
            "fibularis_longus_brevis",
        ],
        "basis": "endangerment sites listed in the rule: no tools; light fingers or practitioner only",
    },
}

LOWER_LIMB_REGIONS = ["thigh", "leg", "foot"]

# How far a positive screen reaches (CS-03): ``body`` (every muscle, either side), ``limb`` (the whole limb on the
# screen's side: its regions and zone groups), ``area`` (the rule's regions, zones and muscles) or ``none`` (no block).
# ``lateral`` rules block only the side the screen records (both when it records none); the others ignore side.
SAFETY_REACH: dict[str, dict[str, Any]] = {
    "SAFE-S2": {"reach": "body", "lateral": False, "basis": "'a fracture, tendon tear, or blood clot' not located"},
    "SAFE-M-CES": {"reach": "body", "lateral": False, "basis": "emergency referral the same day"},
    "SAFE-M-SPINE-SERIOUS": {"reach": "body", "lateral": False, "basis": "'do not treat as myofascial'"},
    "SAFE-M-CARDIAC": {"reach": "body", "lateral": False, "basis": "'no TrP assessment first'"},
    "SAFE-M-DVT": {
        "reach": "limb",
        "lateral": True,
        "limb_regions": LOWER_LIMB_REGIONS,
        "limb_zone_groups": LIMB_GROUPS,
        "basis": "action: 'NO massage/TrP/rolling of that limb': the whole lower limb on the screen's side",
    },
    "SAFE-M-FRACTURE-ANKLE-FOOT": {
        "reach": "limb",
        "lateral": True,
        "limb_regions": LOWER_LIMB_REGIONS,
        "limb_zone_groups": LIMB_GROUPS,
        "basis": "'X-ray referral before treatment of the area'; a recent fracture is a local contraindication "
        "(SAFE-M-LOCAL-CONTRA) and the limb is not loaded by treatment or self-care until cleared (TO-02, SAFE-S2)",
    },
    "SAFE-M-FRACTURE-KNEE": {
        "reach": "limb",
        "lateral": True,
        "limb_regions": LOWER_LIMB_REGIONS,
        "limb_zone_groups": LIMB_GROUPS,
        "basis": "'X-ray referral'; as for the ankle: the injured lower limb on that side until cleared "
        "(TO-02, SAFE-S2)",
    },
    "SAFE-M-FRACTURE-STRESS": {"reach": "area", "lateral": True, "basis": "'no TrP work on the bone site'"},
    "SAFE-M-TENDON-RUPTURE": {"reach": "area", "lateral": True, "basis": "'no local pressure' on the torn tendon"},
    "SAFE-M-COMPARTMENT": {"reach": "area", "lateral": True, "basis": "the leg's compartments on that side"},
    "SAFE-M-CAD": {"reach": "area", "lateral": False, "basis": "'before neck work': the whole head and neck"},
    "SAFE-M-HEADACHE": {"reach": "area", "lateral": False, "basis": "'do not attribute to TrPs': head and neck"},
    "SAFE-M-NEURO": {"reach": "area", "lateral": True, "basis": "a radiculopathy or entrapment has a side"},
    "SAFE-M-HIP-GROIN": {"reach": "area", "lateral": True, "basis": "hip joint causes have a side"},
    "SAFE-M-ABDOMEN": {"reach": "area", "lateral": False, "basis": "the abdomen is midline"},
}

# CS-02: after an acute injury, the screens that exclude fracture or tendon tear at the injured zone.  A zone no rule
# covers needs SAFE-S2 ('do not miss a fracture, tendon tear, or blood clot', seed_001).
INJURY_SCREENS: dict[str, dict[str, Any]] = {
    "SAFE-M-FRACTURE-ANKLE-FOOT": {"zone_groups": ["foot"], "zones": ["anterior_ankle", "lateral_ankle",
                                                                     "medial_ankle", "lateral_leg"]},
    "SAFE-M-FRACTURE-KNEE": {"zones": ["anterior_knee_patella", "medial_knee", "lateral_knee", "posterior_knee"]},
    "SAFE-M-TENDON-RUPTURE": {"zones": ["calf", "achilles", "posterior_heel", "anterior_shoulder", "medial_elbow",
                                        "anterior_elbow", "medial_ankle"]},
    "SAFE-M-SPINE-SERIOUS": {"zones": ["posterior_neck", "thoracic_mid_back", "lumbar", "sacrum_coccyx"]},
    "SAFE-M-CAD": {"zones": ["posterior_neck", "anterior_neck_throat", "neck_shoulder_angle", "occiput"]},
}  # fmt: skip
INJURY_FALLBACK_SCREEN = "SAFE-S2"

# CS-04: the screen a muscle over an endangerment site (SAFE-M-ENDANGERMENT's sites) needs before it is planned.
# Sites with no screen in the catalog (axilla; common fibular nerve) keep the endangerment caution only.
ENDANGERMENT_SCREENS: dict[str, tuple[str, str]] = {
    "iliopsoas": ("SAFE-M-ABDOMEN", "abdomen/aorta"),
    "rectus_abdominis": ("SAFE-M-ABDOMEN", "abdomen/aorta"),
    "sternocleidomastoid": ("SAFE-M-CAD", "anterior neck/carotid"),
    "scalenes": ("SAFE-M-CAD", "posterior cervical triangle (subclavian artery)"),
    "adductors_longus_brevis": ("SAFE-M-DVT", "femoral triangle (femoral vein)"),
    "sartorius": ("SAFE-M-DVT", "femoral triangle (femoral vein)"),
    "popliteus": ("SAFE-M-DVT", "popliteal fossa (popliteal vein)"),
    "gastrocnemius": ("SAFE-M-DVT", "popliteal fossa (popliteal vein); deep calf veins"),
}

# CS-07: how strong the evidence for each stressor's link is.  mainstream: ordinary clinical practice accepts it;
# author_opinion: the seed author's claim or a reader anecdote (meta.disclaimer); ak_tradition: an AK link.
STRESSOR_EVIDENCE: dict[str, str] = {
    "footwear": "author_opinion",
    "rapid_footwear_transition": "mainstream",
    "orthotics_supports_changing_gait": "author_opinion",
    "injury_history": "mainstream",
    "posture_ergonomics": "mainstream",
    "repetitive_overuse": "mainstream",
    "body_weight": "mainstream",
    "sleep_position_recumbency": "author_opinion",
    "prolonged_taping_bracing": "author_opinion",
    "static_stretching": "author_opinion",
    "over_aggressive_treatment": "mainstream",
    "refined_sugar": "author_opinion",
    "inflammatory_fats": "author_opinion",
    "poor_diet_general": "author_opinion",
    "gut_distension_bloating": "author_opinion",
    "visceral_hormonal": "author_opinion",
    "poor_sleep": "mainstream",
    "work_commitments_stress": "mainstream",
    "anaerobic_overtraining": "ak_tradition",
    "inadequate_recovery": "mainstream",
    "rapid_load_increase": "mainstream",
}

# Outcome measures whose MCID the catalog states in percent as well as points ("~2 points or ~30%").
MCID_PERCENT: dict[str, float] = {"nprs": 30, "odi": 30}

# Clinical-safety rules the engine applies (each with id, rationale, sources; ``params`` are the numbers it uses).
SAFETY_PRINCIPLES: list[dict[str, Any]] = [
    {
        "id": "CS-01",
        "name": "Acute or old injury",
        "text": "An injury dated within the last 6 weeks (42 days) of the visit, or undated and painful now, is acute; "
        "an older one is old. Only old injuries drive remote chain links (TO-03 is about old or chronic injuries).",
        "params": {"acute_days": 42},
        "sources": ["seed_001", "vanTulder2006"],
    },
    {
        "id": "CS-02",
        "name": "Acute injury: screen before working in or next to it",
        "text": "After an acute injury, no trigger-point work or self-care in or next to the injured region (its "
        "kinetic-chain node and the nodes adjacent to it, on the injured side) until the screens that exclude "
        "fracture or tendon tear there are recorded negative (TO-02, SAFE-S2). Then work around the injury, never on "
        "it; self-care stays off the injured region itself (SAFE-S1).",
        "params": {"fallback_screen": INJURY_FALLBACK_SCREEN},
        "sources": ["seed_001", "Stiell1992_ankle", "Stiell_knee", "AAOS_achilles"],
    },
    {
        "id": "CS-03",
        "name": "A positive screen blocks its region on its side",
        "text": "A positive screen blocks every muscle lying in its region (the whole limb for a possible fracture or "
        "clot of a limb), every muscle it names and every muscle referring into its zones, on the side the screen "
        "records (both sides when it records none, or when the rule concerns the whole body or the midline). "
        "Muscles elsewhere and on the other side stay treatable (TO-00).",
        "params": {},
        "sources": ["seed_001", "mainstream", "Wells1997", "Stiell1992_ankle"],
    },
    {
        "id": "CS-04",
        "name": "Screen before work over an endangerment site",
        "text": "A muscle over an endangerment site is planned only when the screen for that site is recorded "
        "negative at this visit; until then its step is pending that screen and the home-care sheet never carries "
        "it (SAFE-M-ENDANGERMENT, SAFE-M-ABDOMEN: 'no deep abdominal (psoas/rectus) pressure until cleared').",
        "params": {},
        "sources": ["author", "VTE_massage_2010", "Rushton2023_IFOMPT"],
    },
    {
        "id": "CS-05",
        "name": "Recurring or improving point",
        "text": "A point (muscle and side) is recurring when it is tender (3/10 or more, or an active trigger point) "
        "at 3 or more consecutive visits and has not improved since the previous visit; it is improving when its "
        "tenderness fell by 2 points or more, or it went from active to not active without more tenderness. An "
        "improving point is never called recurring (TO-08, SAFE-S6). Palpation tenderness has no MCID; the 2-point "
        "step follows the NPRS MCID (practitioner observation).",
        "params": {"visits": 3, "tender_from": 3, "improvement_points": 2},
        "sources": ["seed_000", "seed_001", "Farrar2001"],
    },
    {
        "id": "CS-06",
        "name": "Change judged by points or percent",
        "text": "A change meets a measure's MCID when it reaches the MCID in points or, where the catalog gives one, "
        "in percent of the earlier value (NPRS: about 2 points or 30%; ODI: 10 points or 30%); each judgement says "
        "which.",
        "params": {},
        "sources": ["Farrar2001", "Ostelo2008", "Childs2005"],
    },
    {
        "id": "CS-07",
        "name": "Order of the stressors to address",
        "text": "Stressors are addressed by severity, then by the strength of the evidence for the link (mainstream "
        "before the source author's opinion before AK tradition), then by whether the complaint's rule names it.",
        "params": {"evidence_order": ["mainstream", "author_opinion", "ak_tradition"]},
        "sources": ["seed_000", "seed_001", "Haas2007", "mainstream"],
    },
    {
        "id": "CS-08",
        "name": "Where to work on the home-care sheet",
        "text": "The sheet shows the catalog trigger-point location that matches where the practitioner charted the "
        "point; when none matches, it says the practitioner will show the spot.",
        "params": {},
        "sources": ["TS_v1", "TS_v2", "seed_001"],
    },
]


SEED_ACTION_TEXT: dict[str, str] = {
    "modify": "Modify the treatment: start slow and gentle, work around the area.",
    "screen_and_refer": "Screen and refer before any trigger-point work or self-treatment.",
    "pause": "Pause: stop and rest, or choose another point away from the tender area.",
    "dose_limit": "Limit the dose: pressure just hard enough, about 7/10.",
    "inform": "Inform the patient and record it.",
    "reassess": "Reassess: the source has not been corrected.",
    "limit": "Limit the duration.",
    "classify": "Classify correctly; do not chart it as a trigger point.",
}

OUTCOME_NUMBERS: dict[str, dict[str, Any]] = {
    "NPRS": {"id": "nprs", "unit": "points", "min": 0, "max": 10, "mcid": 2, "higher_is_better": False},
    "PPT": {"id": "ppt", "unit": "kg/cm2", "min": 0, "max": 20, "mcid": None, "higher_is_better": True},
    "PSFS": {"id": "psfs", "unit": "points (mean)", "min": 0, "max": 10, "mcid": 2, "higher_is_better": True},
    "LEFS": {"id": "lefs", "unit": "points", "min": 0, "max": 80, "mcid": 9, "higher_is_better": True},
    "NDI": {"id": "ndi", "unit": "points", "min": 0, "max": 50, "mcid": 7.5, "higher_is_better": False},
    "ODI": {"id": "odi", "unit": "%", "min": 0, "max": 100, "mcid": 10, "higher_is_better": False},
    "ROM": {"id": "rom", "unit": "degrees", "min": 0, "max": 360, "mcid": 5, "higher_is_better": True},
    "MRC": {"id": "mrc", "unit": "grade", "min": 0, "max": 5, "mcid": None, "higher_is_better": True},
    "QuickDASH": {
        "id": "quickdash",
        "unit": "points",
        "min": 0,
        "max": 100,
        "mcid": 10.8,
        "higher_is_better": False,
    },
}


class BuildError(Exception):
    """The YAML contains something this normaliser does not know how to map."""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [value]


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _cited(citations: list[str]) -> list[str]:
    ids: list[str] = []
    for citation in citations:
        if citation not in CITATION_IDS:
            raise BuildError(f"unmapped citation: {citation!r}")
        for source_id in CITATION_IDS[citation]:
            if source_id not in ids:
                ids.append(source_id)
    return ids


def build_meta(doc: dict[str, Any], patient: dict[str, Any]) -> dict[str, Any]:
    meta = doc["meta"]
    vocab = doc["vocab"]
    return {
        "version": f"{CATALOG_RELEASE}+src-{meta['version']}",
        "source_version": str(meta["version"]),
        "title": _text(meta["title"]),
        "scope": _text(meta["scope"]),
        "disclaimer": _text(meta["disclaimer"]),
        "ak_label": AK_LABEL,
        "default_protocol": DEFAULT_PROTOCOL,
        "evidence_notes": {key: _text(value) for key, value in doc["evidence_notes"].items()},
        "vocab": {
            "laterality": vocab["laterality"],
            "regions": vocab["regions"],
            "trp_location_terms": vocab["trp_location_terms"],
            "trp_signs": vocab["trp_signs"],
            "trp_status": vocab["trp_status"],
            "tenderness_scale": _text(vocab["tenderness_scale"]),
            "mmt_results": [
                {"code": item["code"], "meaning": _text(item.get("meaning"))} for item in vocab["mmt_result_ak"]
            ],
            "mmt_note": _text(vocab["mmt_note"]),
            "tools": vocab["tools"],
            "tool_ratings": vocab["tool_rating"],
            "tool_rating_meaning": vocab["tool_rating_meaning"],
            "tool_source_note": _text(vocab["tool_source_note"]),
        },
        "patient": patient["self_care"],
    }


def build_sources(doc: dict[str, Any]) -> dict[str, Any]:
    sources: dict[str, Any] = {}
    for source_id, entry in doc["sources"].items():
        sources[source_id] = {key: _text(value) for key, value in entry.items()}
    for extra in (PSEUDO_SOURCES, CITATION_SOURCES):
        for source_id, entry in extra.items():
            if source_id in sources:
                raise BuildError(f"source id clash: {source_id}")
            sources[source_id] = dict(entry)
    return sources


def _zone_nodes(doc: dict[str, Any]) -> dict[str, str]:
    zone_node: dict[str, str] = {}
    for node, zones in doc["kinetic_chain"]["zone_to_node"].items():
        for zone in zones:
            if zone in zone_node:
                raise BuildError(f"zone {zone} maps to two nodes")
            zone_node[zone] = node
    return zone_node


def build_zones(doc: dict[str, Any]) -> list[dict[str, Any]]:
    zone_node = _zone_nodes(doc)
    zones = []
    for group, slugs in doc["zones"].items():
        for slug in slugs:
            if slug not in ZONE_LABELS:
                raise BuildError(f"zone without label: {slug}")
            if slug not in zone_node:
                raise BuildError(f"zone without kinetic-chain node: {slug}")
            zones.append({"slug": slug, "group": group, "node": zone_node[slug], "label": ZONE_LABELS[slug]})
    return zones


def _local_zones(doc: dict[str, Any]) -> dict[str, list[str]]:
    referral_zones = {muscle["id"]: set(muscle["referral_zones"]) for muscle in doc["muscles"]}
    local: dict[str, list[str]] = {}
    for rule in doc["symptom_rules"]["rules"]:
        for candidate in rule["candidates"]:
            if "local" in candidate["basis"]:
                referral = referral_zones[candidate["muscle"]]
                zones = [zone for zone in rule["complaint_zones"] if zone in referral] or rule["complaint_zones"]
                bucket = local.setdefault(candidate["muscle"], [])
                bucket.extend(zone for zone in zones if zone not in bucket)
    return local


def _ids(raw: dict[str, Any]) -> dict[str, Any]:
    def known(value: Any) -> Any:
        return None if value in (None, "unknown") else _text(value)

    return {
        "uberon": known(raw.get("uberon")),
        "fma": known(raw.get("fma")),
        "snomed": [_text(code) for code in _as_list(raw.get("snomed_ct"))],
        "note": _text(raw.get("note")),
    }


def _ak(raw: dict[str, Any]) -> dict[str, Any]:
    label = _text(raw.get("label"))
    if not label.startswith(AK_LABEL):
        raise BuildError(f"AK association without the label: {raw!r}")
    notes = [_text(raw.get("note"))] if raw.get("note") else []
    extra = label[len(AK_LABEL) :].strip()
    if extra:
        notes.insert(0, f"AK name {extra}")
    return {
        "organ_gland": raw.get("organ_gland"),
        "meridian": raw.get("meridian"),
        "label": AK_LABEL,
        "sources": _as_list(raw.get("source")),
        "confidence": raw.get("confidence"),
        "note": "; ".join(notes),
    }


def build_muscles(doc: dict[str, Any], patient: dict[str, Any]) -> list[dict[str, Any]]:
    tools = doc["vocab"]["tools"]
    zone_node = _zone_nodes(doc)
    local = _local_zones(doc)
    muscles = []
    for raw in doc["muscles"]:
        slug = raw["id"]
        if slug not in MUSCLE_NAMES:
            raise BuildError(f"muscle without plain name: {slug}")
        _, synonyms = MUSCLE_NAMES[slug]
        words = patient["muscles"].get(slug) or {}
        plain_name = _text(words.get("name")) or MUSCLE_NAMES[slug][0]
        if words.get("spots") and len(words["spots"]) != len(raw["trp_locations"]):
            raise BuildError(f"muscles.yaml {slug}: one spot per trigger-point location ({len(raw['trp_locations'])})")
        ratings = {tool: raw["self_treatment"][tool] for tool in tools}
        local_zones = local.get(slug, [])
        nodes = list(REGION_NODES[raw["region"]])
        for zone in local_zones:
            if zone_node[zone] not in nodes:
                nodes.append(zone_node[zone])
        muscles.append(
            {
                "slug": slug,
                "name": _text(raw["name"]),
                "plain_name": plain_name,
                "patient": {
                    "name": plain_name,
                    "where": _text(words.get("where")),
                    "care": _text(words.get("care")),
                    "spots": [_text(spot) for spot in words.get("spots") or []],
                },
                "synonyms": synonyms,
                "region": raw["region"],
                "laterality": raw["laterality"],
                "trp_locations": [_text(item) for item in raw["trp_locations"]],
                "referral_zones": list(raw["referral_zones"]),
                "referral_text": _text(raw["referral_text"]),
                "symptoms_explained": [_text(item) for item in raw["symptoms_explained"]],
                "self_treatment": ratings,
                "self_treatment_notes": _text(raw["self_treatment"].get("notes")),
                "practitioner_only": not any(rating in ("good", "ok") for rating in ratings.values()),
                "ak_association": _ak(raw["ak_association"]),
                "ids": _ids(raw["ids"]),
                "seed_mentions": [_text(item) for item in raw["seed_mentions"]],
                "sources": list(raw["sources"]),
                "confidence": raw["confidence"],
                "local_zones": local_zones,
                "nodes": nodes,
                **_endangerment(slug),
            }
        )
    return muscles


def _endangerment(slug: str) -> dict[str, Any]:
    if slug not in ENDANGERMENT_SCREENS:
        return {"requires_screens": [], "endangerment_site": ""}
    rule_id, site = ENDANGERMENT_SCREENS[slug]
    return {"requires_screens": [rule_id], "endangerment_site": site}


def build_stressors(doc: dict[str, Any], patient: dict[str, Any]) -> dict[str, Any]:
    categories = []
    for category in doc["stressors"]["categories"]:
        subtypes = []
        for raw in category["subtypes"]:
            kind = raw["id"]
            if kind not in STRESSOR_LABELS:
                raise BuildError(f"stressor without label: {kind}")
            label = STRESSOR_LABELS[kind]
            words = patient["stressors"].get(kind, {})
            subtypes.append(
                {
                    "id": kind,
                    "category": category["id"],
                    "label": label,
                    "examples": [_text(item) for item in _as_list(raw.get("examples"))],
                    "seed_claim": _text(raw.get("seed_claim")),
                    "target_regions": _as_list(raw.get("target_regions")),
                    "target_muscles": _as_list(raw.get("target_muscles")),
                    "links": _as_list(raw.get("links")),
                    "record_fields": _as_list(raw.get("record_fields")),
                    "ak_label": _text(raw.get("ak_label")),
                    "mainstream_caveat": _text(raw.get("mainstream_caveat")),
                    "patient_label": _text(words.get("label")),
                    "patient_action": _text(words.get("action")),
                    "evidence": STRESSOR_EVIDENCE[kind],
                    "sources": _as_list(raw.get("source")),
                }
            )
        categories.append({"id": category["id"], "label": _text(category["label"]), "subtypes": subtypes})
    return {"note": _text(doc["stressors"]["note"]), "categories": categories}


def build_kinetic_chain(doc: dict[str, Any]) -> dict[str, Any]:
    chain = doc["kinetic_chain"]
    nodes = set(chain["nodes"])
    muscle_ids = {m["id"] for m in doc["muscles"]}
    stressor_links: dict[str, list[str]] = {}
    for category in doc["stressors"]["categories"]:
        for subtype in category["subtypes"]:
            for link_id in _as_list(subtype.get("links")):
                stressor_links.setdefault(link_id, []).append(subtype["id"])
    links = []
    for raw in chain["links"]:
        link_id = raw["id"]
        sources = _as_list(raw.get("source"))
        origin = _as_list(raw["from"])
        if all(item in nodes for item in origin):
            from_kind = "node"
        elif all(item in muscle_ids for item in origin):
            from_kind = "muscle"
        else:
            from_kind = "stressor"
        kind = raw["type"]
        examine = raw.get("examine_muscles")
        if isinstance(examine, dict):
            examine_muscles = {("hip_pelvis" if key == "hip" else key): list(value) for key, value in examine.items()}
        elif isinstance(examine, list):
            examine_muscles = {"any": list(examine)}
        elif from_kind == "muscle":
            examine_muscles = {"lower_leg": origin}
        else:
            examine_muscles = {}
        default_side = "same" if kind in ("adjacent", "mechanical") else "any"
        trigger_stressors = [] if kind in INJURY_LINK_TYPES else list(stressor_links.get(link_id, []))
        if link_id == "KC-X8":
            trigger_stressors = list(KC_X8_STRESSORS)
        if kind == "adjacent":
            claim = _text(raw.get("note")) or ADJACENT_CLAIM
            evidence = _text(raw.get("evidence")) or (
                "compiler's extension of the seed_001 chain principle" if sources == ["author"] else "seed claim"
            )
        else:
            claim = _text(raw.get("claim"))
            evidence = _text(raw.get("evidence")) or "seed claim"
        links.append(
            {
                "id": link_id,
                "name": LINK_NAMES[link_id],
                "from": origin,
                "from_kind": from_kind,
                "to": _as_list(raw["to"]),
                "type": kind,
                "side_relation": raw.get("side_relation", default_side),
                "examine_muscles": examine_muscles,
                "trigger_stressors": trigger_stressors,
                "claim": claim,
                "note": _text(raw.get("note")),
                "evidence": evidence,
                "sources": sources,
            }
        )
    return {
        "nodes": list(chain["nodes"]),
        "principle": _text(chain["principle"]),
        "zone_to_node": {node: list(zones) for node, zones in chain["zone_to_node"].items()},
        "links": links,
    }


def build_symptom_rules(doc: dict[str, Any]) -> dict[str, Any]:
    universal = [
        {"id": item["id"], "text": _text(item["text"]), "sources": _as_list(item.get("source"))}
        for item in doc["symptom_rules"]["universal"]
    ]
    universal += [dict(item) for item in SAFETY_PRINCIPLES]
    rules = []
    for raw in doc["symptom_rules"]["rules"]:
        rule_id = raw["id"]
        if rule_id not in RULE_NAMES:
            raise BuildError(f"symptom rule without name: {rule_id}")
        check = _text(raw.get("kinetic_chain_check"))
        rules.append(
            {
                "id": rule_id,
                "name": RULE_NAMES[rule_id],
                "complaint_zones": list(raw["complaint_zones"]),
                "examples": [_text(item) for item in _as_list(raw.get("examples"))],
                "candidates": [{"muscle": item["muscle"], "basis": list(item["basis"])} for item in raw["candidates"]],
                "stressors_to_check": _as_list(raw.get("stressors_to_check")),
                "red_flags": _as_list(raw.get("red_flags")),
                "precondition": _text(raw.get("precondition")),
                "treat_site_note": _text(raw.get("treat_site_note")),
                "kinetic_chain_check": check,
                "kinetic_chain_links": re.findall(r"KC-[0-9A-Za-z]+", check),
                "ak_note": _text(raw.get("ak_note")),
                "note": _text(raw.get("note")),
                "sources": _as_list(raw.get("source")),
            }
        )
    return {"universal": universal, "rules": rules}


def build_treatment_order_rules(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rules = []
    for raw in doc["treatment_order_rules"]:
        name, step_kind = TO_NAMES[raw["id"]]
        rules.append(
            {
                "id": raw["id"],
                "name": name,
                "priority": raw["priority"],
                "rule": _text(raw["rule"]),
                "step_kind": step_kind,
                "sources": _as_list(raw.get("source")),
            }
        )
    return rules


def build_safety_rules(doc: dict[str, Any], patient: dict[str, Any]) -> dict[str, Any]:
    zone_groups: dict[str, list[str]] = {group: list(zones) for group, zones in doc["zones"].items()}
    listed_in: dict[str, list[str]] = {}
    for rule in doc["symptom_rules"]["rules"]:
        for flag in _as_list(rule.get("red_flags")):
            bucket = listed_in.setdefault(flag, [])
            bucket.extend(zone for zone in rule["complaint_zones"] if zone not in bucket)

    def blocks(rule_id: str) -> dict[str, Any]:
        spec = SAFETY_SCOPE[rule_id]
        zones: list[str] = []
        if spec["scope"] == "regional":
            for group in spec.get("zone_groups", []):
                zones.extend(zone for zone in zone_groups[group] if zone not in zones)
            zones.extend(zone for zone in spec.get("zones", []) if zone not in zones)
            zones.extend(zone for zone in listed_in.get(rule_id, []) if zone not in zones)
        reach = SAFETY_REACH.get(rule_id, {"reach": "none", "lateral": False, "basis": ""})
        regions = list(spec.get("regions", []))
        if reach["reach"] == "limb":
            regions += [region for region in reach["limb_regions"] if region not in regions]
            for group in reach["limb_zone_groups"]:
                zones.extend(zone for zone in zone_groups[group] if zone not in zones)
        injury = INJURY_SCREENS.get(rule_id, {})
        injury_zones = [zone for group in injury.get("zone_groups", []) for zone in zone_groups[group]]
        injury_zones += [zone for zone in injury.get("zones", []) if zone not in injury_zones]
        return {
            "scope": spec["scope"],
            "refers": spec["refers"],
            "urgency": spec["urgency"],
            "regions": regions,
            "zones": zones,
            "muscles": list(spec.get("muscles", [])),
            "block_basis": spec.get("basis", ""),
            "reach": reach["reach"],
            "lateral": reach["lateral"],
            "reach_basis": reach["basis"],
            "injury_zones": injury_zones,
        }

    seed_rules = []
    for raw in doc["safety_rules"]["seed_rules"]:
        seed_rules.append(
            {
                "id": raw["id"],
                "kind": "seed",
                "condition": _text(raw["rule"]),
                "signs": [],
                "risk_factors": [],
                "scoring": "",
                "action": SEED_ACTION_TEXT[raw["action"]],
                "action_code": raw["action"],
                "sources": _as_list(raw.get("source")),
                "citations": [],
                "confidence": "seed",
                "seed_link": "",
                "patient": _patient_safety(patient, raw["id"]),
                **blocks(raw["id"]),
            }
        )
    mainstream_rules = []
    for raw in doc["safety_rules"]["mainstream_rules"]:
        citations = [_text(item) for item in _as_list(raw.get("source"))]
        signs = _as_list(raw.get("signs")) or _as_list(raw.get("sites"))
        mainstream_rules.append(
            {
                "id": raw["id"],
                "kind": "mainstream",
                "condition": _text(raw["condition"]),
                "signs": [_text(item) for item in signs],
                "risk_factors": [_text(item) for item in _as_list(raw.get("risk_factors"))],
                "scoring": _text(raw.get("scoring")),
                "action": _text(raw["action"]),
                "action_code": "refer" if SAFETY_SCOPE[raw["id"]]["refers"] else "modify",
                "sources": _cited(citations),
                "citations": citations,
                "confidence": raw.get("confidence"),
                "seed_link": _text(raw.get("seed_link")),
                "patient": _patient_safety(patient, raw["id"]),
                **blocks(raw["id"]),
            }
        )
    missing = set(SAFETY_SCOPE) - {rule["id"] for rule in seed_rules + mainstream_rules}
    if missing:
        raise BuildError(f"SAFETY_SCOPE names unknown rules: {sorted(missing)}")
    return {"seed_rules": seed_rules, "mainstream_rules": mainstream_rules}


def build_protocols(doc: dict[str, Any]) -> dict[str, Any]:
    protocols = []
    for raw in doc["technique_protocols"]["protocols"]:
        extra = PROTOCOL_TEXT[raw["id"]]
        protocols.append(
            {
                "id": raw["id"],
                "name": extra["name"],
                "source": raw["source"],
                "sources": [raw["source"]],
                "method": _text(raw.get("method")),
                "duration_per_point": _text(raw.get("duration_per_point") or raw.get("duration")),
                "frequency": _text(raw.get("frequency")),
                "intensity": _text(raw.get("intensity")),
                "stop_rule": _text(raw.get("stop_rule")),
                "location_rule": _text(raw.get("location_rule")),
                "stroke_rate": _text(raw.get("stroke_rate")),
                "expected_course": _text(raw.get("expected_course")),
                "caution": _text(raw.get("caution")),
                "muscles": list(extra["muscles"]),
                "dose": {**extra["dose"], "intensity_max": extra.get("intensity_max")},
                "default": raw["id"] == DEFAULT_PROTOCOL,
            }
        )
    return {
        "protocols": protocols,
        "conflicts": [_text(item) for item in doc["technique_protocols"]["conflicts"]],
    }


def build_outcome_measures(doc: dict[str, Any]) -> list[dict[str, Any]]:
    measures = []
    for raw in doc["outcome_measures"]:
        numbers = OUTCOME_NUMBERS[raw["id"]]
        citations = [_text(item) for item in _as_list(raw.get("source"))]
        measures.append(
            {
                **numbers,
                "mcid_percent": MCID_PERCENT.get(numbers["id"]),
                "code": raw["id"],
                "name": _text(raw["name"]),
                "range_text": _text(raw.get("range")),
                "unit_text": _text(raw.get("unit")),
                "mcid_text": _text(raw.get("mcid")),
                "loinc": (raw.get("codes") or {}).get("loinc", "").split(" ")[0] or None,
                "licence_note": _text(raw.get("licence_note")),
                "optional": bool(raw.get("optional", False)),
                "sources": _cited(citations),
                "citations": citations,
            }
        )
    return measures


def read_patient_words(directory: Path = PATIENT_WORDS) -> dict[str, Any]:
    """The hand-written patient-language layer (``catalog/patient_words/*.yaml``), keyed by file stem."""
    words = {}
    for stem in ("muscles", "stressors", "safety", "self_care", "zones"):
        with (directory / f"{stem}.yaml").open(encoding="utf-8") as handle:
            words[stem] = yaml.safe_load(handle) or {}
    return words


def check_patient_words(doc: dict[str, Any], words: dict[str, Any]) -> None:
    """Every entry names something the catalog has, every tier and dose reference resolves."""
    known = {
        "muscles": {m["id"] for m in doc["muscles"]},
        "stressors": {s["id"] for c in doc["stressors"]["categories"] for s in c["subtypes"]},
        "safety": {r["id"] for rules in doc["safety_rules"].values() for r in rules},
        "zones": {zone for zones in doc["zones"].values() for zone in zones},
    }
    for stem, ids in known.items():
        stray = sorted(set(words[stem]) - ids)
        if stray:
            raise BuildError(f"patient_words/{stem}.yaml names what the catalog does not have: {stray}")
    care = words["self_care"]
    tiers = [t["id"] for t in care["tiers"]]
    protocols = {p["id"] for p in doc["technique_protocols"]["protocols"]}
    if set(care["doses"]) != protocols:
        raise BuildError(f"self_care.yaml doses must cover exactly the protocols: {sorted(protocols)}")
    if set(care["tools"]) != set(doc["vocab"]["tools"]):
        raise BuildError(f"self_care.yaml tools must cover exactly the tools: {doc['vocab']['tools']}")
    for tool, entry in care["tools"].items():
        if entry["dose"] not in protocols:
            raise BuildError(f"tool {tool}: unknown dose {entry['dose']}")
    signs = [*care["standing_signs"], *(s for r in words["safety"].values() for s in (r or {}).get("signs") or [])]
    for sign in signs:
        if sign["tier"] not in tiers:
            raise BuildError(f"unknown tier {sign['tier']!r} in {sign}")


def _patient_safety(words: dict[str, Any], rule_id: str) -> dict[str, Any]:
    entry = words["safety"].get(rule_id) or {}
    signs = [{"tier": s["tier"], "text": _text(s["text"])} for s in entry.get("signs") or []]
    return {"signs": signs, "refer": _text(entry.get("refer"))}


HISTORY_VOCABULARIES = (
    "mechanisms",
    "courses",
    "patterns",
    "activities",
    "systemic_signs",
    "treatments",
    "frequencies",
    "intensities",
    "responses",
    "observations",
)


def read_history(path: Path = HISTORY) -> dict[str, Any]:
    """The hand-written history vocabularies and rules (``catalog/history/history.yaml``)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def check_history(doc: dict[str, Any], history: dict[str, Any], sources: set[str]) -> None:
    """Every vocabulary present; every stressor kind, safety rule, chain-link type, node, vocabulary word and source a
    rule names exists."""
    missing = [name for name in HISTORY_VOCABULARIES if not history.get(name)]
    if missing:
        raise BuildError(f"history.yaml lacks the vocabularies {missing}")
    kinds = {s["id"] for c in doc["stressors"]["categories"] for s in c["subtypes"]}
    safety = {r["id"] for rules in doc["safety_rules"].values() for r in rules}
    nodes = set(doc["kinetic_chain"]["nodes"])
    link_types = {link["type"] for link in doc["kinetic_chain"]["links"]}
    for slug, entry in history["observations"].items():
        if entry.get("node") not in nodes or not entry.get("label"):
            raise BuildError(f"observation {slug}: needs a label and a chain node, not {entry.get('node')!r}")
    for rule in history.get("rules") or []:
        params = rule.get("params") or {}
        named_kinds = [params["stressor"]] if "stressor" in params else list(params.get("stressors") or [])
        screens = [*(params.get("screens") or {}).values()]
        screens += [params[k] for k in ("fallback_screen", "systemic_screen") if k in params]
        words = [
            *((w, "activities") for w in params.get("activities") or []),
            *((w, "patterns") for w in params.get("patterns") or []),
            *((w, "treatments") for w in params.get("treatments") or []),
            *((w, "frequencies") for w in params.get("frequencies") or []),
            *((w, "intensities") for w in params.get("intensities") or []),
        ]
        problems = [f"stressor {k}" for k in named_kinds if k not in kinds]
        problems += [f"screen {s}" for s in screens if s not in safety]
        problems += [f"node {n}" for n in (params.get("screens") or {}) if n not in nodes]
        problems += [f"link type {t}" for t in params.get("link_types") or [] if t not in link_types]
        problems += [f"{vocab} {w}" for w, vocab in words if w not in history[vocab]]
        problems += [f"source {s}" for s in rule.get("sources") or [] if s not in sources]
        if not rule.get("sources") or not rule.get("text") or not rule.get("name"):
            problems.append("a rule needs a name, a text and sources")
        if problems:
            raise BuildError(f"history rule {rule.get('id')}: unknown {problems}")


def build_history(history: dict[str, Any]) -> dict[str, Any]:
    """``meta.history``: the vocabularies, each a list in the order written (forms offer them so): ``slug`` and
    ``label``; observations also carry ``node`` and ``gait``."""
    built: dict[str, Any] = {}
    for name in HISTORY_VOCABULARIES:
        if name == "observations":
            built[name] = [
                {"slug": slug, "label": _text(entry["label"]), "node": entry["node"], "gait": bool(entry.get("gait"))}
                for slug, entry in history[name].items()
            ]
        else:
            built[name] = [{"slug": slug, "label": _text(label)} for slug, label in history[name].items()]
    return built


def history_rules(history: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": rule["id"],
            "name": _text(rule["name"]),
            "text": _text(rule["text"]),
            "params": rule.get("params") or {},
            "sources": list(rule["sources"]),
        }
        for rule in history.get("rules") or []
    ]


def build_all(
    doc: dict[str, Any], patient: dict[str, Any] | None = None, history: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Every output file, keyed by file stem (the shape ``catalog_from_dict`` accepts)."""
    patient = read_patient_words() if patient is None else patient
    history = read_history() if history is None else history
    check_patient_words(doc, patient)
    sources = build_sources(doc)
    check_history(doc, history, set(sources))
    symptom_rules = build_symptom_rules(doc)
    symptom_rules["universal"] += history_rules(history)
    return {
        "meta": {**build_meta(doc, patient), "history": build_history(history)},
        "sources": sources,
        "zones": [
            {**zone, "patient_label": _text(patient["zones"].get(zone["slug"])) or zone["label"]}
            for zone in build_zones(doc)
        ],
        "muscles": build_muscles(doc, patient),
        "stressors": build_stressors(doc, patient),
        "kinetic_chain": build_kinetic_chain(doc),
        "symptom_rules": symptom_rules,
        "treatment_order_rules": build_treatment_order_rules(doc),
        "safety_rules": build_safety_rules(doc, patient),
        "protocols": build_protocols(doc),
        "outcome_measures": build_outcome_measures(doc),
    }


def render(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="catalog.yaml to read")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="directory for the JSON files")
    parser.add_argument("--check", action="store_true", help="only report whether the files are up to date")
    args = parser.parse_args(argv)

    with args.source.open(encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    files = {f"{stem}.json": render(data) for stem, data in build_all(doc).items()}

    stale = [name for name, text in files.items() if _read(args.out / name) != text]
    if args.check:
        for name in stale:
            print(f"out of date: {args.out / name}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (args.out / name).write_text(files[name], encoding="utf-8")
    print(f"{len(files)} files in {args.out} ({len(stale)} written, {len(files) - len(stale)} unchanged)")
    return 0


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
