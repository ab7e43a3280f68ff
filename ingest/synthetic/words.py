"""Word pools for generated corpora: the phrases DP summaries and strategy tables of each theme use.

Data only, kept apart from the code that assembles it (`generate_text`, `generate`).
"""

from __future__ import annotations

THEME_NAMES = {
    "A": "Facilitating access and return to the labour market",
    "B": "Combating racism and xenophobia in relation to the labour market",
    "C": "Opening up the business creation process to all",
    "D": "Strengthening the social economy",
    "E": "Promoting lifelong learning and inclusive work practices",
    "F": "Supporting the adaptability of firms and employees",
    "G": "Reconciling family and professional life",
    "H": "Reducing gender gaps and supporting job desegregation",
    "I": "Integration of asylum seekers",
}
#: Share of DPs per theme (theme A and F were the largest, I the smallest).
THEME_WEIGHTS = {"A": 22, "B": 8, "C": 11, "D": 10, "E": 14, "F": 16, "G": 7, "H": 7, "I": 5}

#: Bodies most strategies name, most named first (slugs in the gazetteer); the rest form a long tail.
HEAD_BODIES = ["dwp", "dfes", "rda", "lsc", "jobcentre-plus", "local-authority", "dti", "odpm", "dclg",
               "home-office", "sbs", "business-link", "voluntary-community-organisation", "social-enterprise",
               "government-office", "employer", "college", "sector-skills-council", "training-provider",
               "connexions-partnership", "trade-union", "eoc", "cre", "hm-treasury", "european-commission"]
#: Bodies a theme's strategies name more often than others do.
AFFINITY = {
    "A": ["jobcentre-plus", "dwp", "lsc", "connexions", "careers-service", "employer", "recruitment-agency",
          "shaw-trust", "remploy", "national-probation-service"],
    "B": ["cre", "home-office", "bme-organisation", "race-for-opportunity", "bteg", "runnymede-trust", "ehrc",
          "faith-organisation"],
    "C": ["sbs", "business-link", "enterprise-agency", "cdfi", "bank", "princes-trust", "phoenix-fund", "prowess",
          "nfea", "fsb"],
    "D": ["social-enterprise", "sec", "dta", "social-enterprise-support-agency", "cdfi", "futurebuilders",
          "social-firm", "co-operative", "regional-social-enterprise-network", "ogc", "idea"],
    "E": ["lsc", "niace", "unionlearn", "trade-union", "ufi", "college", "sector-skills-council", "ssda",
          "learning-partnership"],
    "F": ["sector-skills-council", "cipd", "acas", "employer", "sme", "trade-union", "tuc", "cbi", "ukces"],
    "G": ["sure-start-unit", "sure-start-local-programme", "daycare-trust", "working-families", "weu", "eoc",
          "dfes"],
    "H": ["eoc", "weu", "women-and-work-commission", "wnc", "prowess", "trade-union", "ehrc"],
    "I": ["home-office", "nass", "ind", "refugee-council", "refugee-action", "bia", "ukba"],
}
SECTION_TITLES = {
    "A": ["Routes back to work for lone parents", "Employer engagement", "Welfare to work - pathways to employment",
          "Personal advisers and job search", "Return to work for disabled people",
          "Young people not in education or employment"],
    "B": ["Combating racism at work", "Race equality in public services", "Diversity in recruitment",
          "Anti-discrimination training", "Supporting black and minority ethnic enterprise"],
    "C": ["Enterprise creation for under-represented groups", "Access to finance",
          "Business support - advice and guidance", "Self-employment from benefits",
          "Start-up support in deprived areas"],
    "D": ["Trading opportunities- public & private procurement", "Workforce development and training",
          "Access to finance", "Quality and Impact measurement", "Social economy support practice",
          "Regeneration and neighbourhood renewal"],
    "E": ["Lifelong learning for low-skilled workers", "Basic skills and ESOL", "Older workers - age diversity",
          "Inclusive work practices", "Learning in the workplace"],
    "F": ["Adaptability - restructuring and new technologies", "Workforce skills in SMEs", "ICT skills",
          "Modernisation of work organisation", "Skills development for low-paid workers"],
    "G": ["Flexible working and childcare", "Social enterprise childcare", "Carers and employment",
          "Work-life balance in SMEs", "Childcare workforce development"],
    "H": ["Occupational segregation", "Equal pay - closing the pay gap", "Women in non-traditional sectors",
          "Gender equality in enterprise", "Desegregation in training"],
    "I": ["Integration of asylum seekers into work", "Refugee integration - recognising qualifications",
          "Language skills and ESOL", "Volunteering and work experience for asylum seekers", "Refugee enterprise"],
    "*": ["Influencing policy", "Quality and impact measurement", "Workforce development and training",
          "Access to finance", "Business support", "Regeneration", "Evaluation and mainstreaming"],
}
WHAT = {
    "A": ["Intensive personal advice for lone parents", "Employer-led recruitment pilots",
          "Intermediate labour market models", "Job brokerage in deprived neighbourhoods",
          "Mentoring for long-term unemployed people"],
    "B": ["Race equality toolkit for employers", "Positive action traineeships", "Diversity audits of recruitment",
          "Black and minority ethnic business networks"],
    "C": ["Outreach enterprise support", "Micro-loans and loan readiness", "Enterprise coaching for women",
          "Test trading from benefits"],
    "D": ["Development of Social Enterprise replication models, how to guides and pre-coaching guides",
          "Empowering disadvantaged groups to contribute to designing public service contracts",
          "Loan Readiness Access to mainstream grant finance", "Growth of SE Sector through innovation",
          "Diagnostic toolkit, training packages and business counselling"],
    "E": ["Union learning representatives", "Workplace basic skills", "Age diversity toolkit for employers",
          "Learning accounts for low-skilled workers"],
    "F": ["Skills diagnostics for SMEs", "ICT training for older workers", "Redundancy and restructuring support",
          "Management development in small firms"],
    "G": ["Family-friendly employment models", "Social enterprise childcare providers", "Flexible working pilots",
          "Support for carers returning to work"],
    "H": ["Women into construction and engineering", "Pay audits", "Careers advice against stereotyping",
          "Female entrepreneurship programmes"],
    "I": ["Recognition of refugees' qualifications", "Work placements for refugees", "ESOL with vocational training",
          "Volunteering as a route to work for asylum seekers"],
}
WHEN = ["Varied", "Ongoing", "Spending Review {year}", "From April {year}", "Post {year} election - review policy",
        "Initially April and June {year}", "Consultation on the welfare green paper, {year}", "{year}-{next}",
        "To be confirmed", "Regional economic strategy review {next}"]
HOW = ["seminars", "conferences", "publications", "meetings", "presentations", "case studies", "site visits",
       "networking", "websites", "policy briefings", "toolkits", "study visits", "film", "training days",
       "workshops", "champions", "research"]
WHY = ["To be completed", "", "", "TBC", "Evidence of what works with the hardest to reach",
       "Cost-effective models tested with employers", "Fits the government's agenda", "Employers need workers"]
HEADERS = [
    "WHAT? Key policy / practice area or linkages, including equal opportunities and empowerment issues\t"
    "WHO? The key audiences: Local, Regional, National, Europe; Practitioner\t"
    "WHEN? What are the key dates to achieve maximum impact on policy / practice?\t"
    "HOW? What methodologies should be adopted to reach these audiences?\t"
    "Why? Why should government departments and other organisations listen?\t"
    "DPs involved (indicate with * whether a specific DP is willing to take the lead)",
    "WHAT? Policy / practice area\tWHO? Audiences: Local, Regional, National, European\tWHEN?\tHOW? Methods\t"
    "WHY?\tDPs involved (* = willing to lead)",
    "WHAT?\tWHO?\tWHEN?\tHOW?\tWHY?\tDPs involved",
]
PROSE = {
    "strategy": [
        "This Thematic Mainstreaming Strategy for Equal Theme {theme} is designed as a framework to guide "
        "Mainstreaming Partnerships in the planning and delivery of networking, dissemination and mainstreaming "
        "activities under Equal Action 3.",
        "Mainstreaming Partnerships may combine any of the policy areas (\"what\"), target audiences (\"who\"), "
        "methods (\"how\") and timings (\"when\") in this document providing a sound rationale is provided.",
        "All themes and sub-groups should also consider joint activity across themes, including an ICT solution "
        "to collect and share information on mainstreaming activity.",
        "This strategy sets out how DPs working on {theme_name} will reach policy makers.",
        "Unless otherwise indicated, target audiences shown in this document refer to organisations operating in "
        "England. There may be organisations with similar remits operating in Scotland and Wales.",
        "This Thematic Mainstreaming Strategy will be reviewed at six-monthly intervals.",
    ],
    "aim_more": ["This was to be achieved by testing new approaches with partners and employers.",
                 "It worked to influence mainstream policy and practice.", "",
                 "It sought to build lasting partnerships between the public, private and voluntary sectors."],
    "beneficiaries": ["The DP provided specific support to {groups}.", "The DP worked with {groups}.",
                      "Beneficiaries were {groups}.", "{groups}."],
}
HEADINGS = {
    "aim": ["Aim", "Aims", "Overall aim", "Purpose"],
    "objectives": ["Objectives", "Key objectives", "Main objectives", "Key priorities"],
    "background": ["Background", "Context", "Background and context", "Rationale"],
    "beneficiaries": ["Target beneficiary groups", "Beneficiaries", "Target groups", "Beneficiary groups"],
    "outcomes": ["Main Outcomes", "Outcomes", "Results", "Key outcomes", "Achievements"],
}
AIMS = {
    "A": ["help people far from the labour market back into sustained work",
          "test new routes into employment for lone parents and disabled people"],
    "B": ["combat racism and discrimination in recruitment and at work",
          "promote the employment of people from black and minority ethnic communities"],
    "C": ["open up business creation to people excluded from it",
          "test new means of supporting enterprise in disadvantaged communities"],
    "D": ["test and promote new means of combating discrimination and inequality in the labour market "
          "through the social economy", "strengthen the infrastructure that supports social enterprise"],
    "E": ["promote lifelong learning for low-skilled workers", "develop inclusive work practices with employers"],
    "F": ["support the adaptability of small firms and their employees", "help workers at risk of redundancy adapt"],
    "G": ["help parents and carers reconcile work and family life", "test flexible working and childcare models"],
    "H": ["reduce gender gaps and occupational segregation", "open non-traditional careers to women"],
    "I": ["help asylum seekers and refugees into work and training",
          "support the integration of asylum seekers through employment and volunteering"],
}
OBJECTIVES = {
    "A": ["testing intensive personal advice", "building links with employers", "influencing the New Deal"],
    "B": ["developing race equality toolkits", "supporting positive action", "challenging discrimination"],
    "C": ["providing outreach enterprise support", "improving access to finance", "supporting test trading"],
    "D": ["identifying and testing models for effective labour market interventions",
          "informing local authority planning and procurement policies, specifically Best Value",
          "developing cohesion within the sector"],
    "E": ["developing workplace learning", "supporting union learning representatives", "tackling age barriers"],
    "F": ["diagnosing the skills needs of SMEs", "supporting restructuring firms", "developing ICT skills"],
    "G": ["piloting flexible working", "developing social enterprise childcare", "supporting carers"],
    "H": ["tackling occupational segregation", "supporting pay audits", "encouraging women into new careers"],
    "I": ["recognising refugees' qualifications", "providing ESOL with work placements", "supporting volunteering"],
    "*": ["informing mainstream policy", "sharing good practice with practitioners", "evaluating what works",
          "building partnerships with employers", "disseminating results to policy makers"],
}
BACKGROUND = {
    "opening": ["The DP was a response to growing emphasis on {theme_name}.",
                "Partners had identified a need for new approaches to {theme_name}.",
                "Earlier projects had shown that mainstream services did not reach many people."],
    "where": ["{who} covered the whole of {region}.", "{who} was based in {town} and worked across {region}.",
              "{who} worked in {town}, in {region}."],
    "closing": ["As such, the DP had membership from regional agencies and local projects.",
                "Partners included local authorities, colleges and voluntary organisations.", ""],
}
GROUPS = {
    "A": ["lone parents", "disabled people", "long-term unemployed people", "young people", "ex-offenders"],
    "B": ["ethnic minorities", "black and minority ethnic people", "migrant workers", "young people"],
    "C": ["women", "ethnic minorities", "disabled people", "people in deprived areas", "older people"],
    "D": ["disabled people", "women", "people experiencing rural isolation", "ethnic minorities", "ex-offenders"],
    "E": ["older workers", "people with low skills", "disabled people", "migrant workers"],
    "F": ["older workers", "low skilled employees", "women", "people with mental health problems"],
    "G": ["lone parents", "carers", "women", "people in rural areas"],
    "H": ["women", "young people", "lone parents", "ethnic minorities"],
    "I": ["asylum seekers", "refugees", "women", "young people"],
}
OUTCOMES = [
    "By the end of {period}, partners had reached over {n} people and over {m} organisations.",
    "Around {n} people took part in {period}.", "More than {p}% of participants moved into work.",
    "{m} employers signed up.", "Over {n} beneficiaries gained a qualification.",
    "The DP supported {m} new social enterprises in {period}.",
    "Many partners found that working together improved their ability to meet the needs of beneficiaries.",
]
