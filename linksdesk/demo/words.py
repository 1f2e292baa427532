"""Word lists for the synthetic demo caseload: invented names, places, phrases and resources.

Everything here is made up. Names are common first names and surnames combined at random, so
no generated person is a real individual. Places are invented neighbourhoods with a Glasgow
feel; phone numbers come from Ofcom's ranges reserved for drama (07700 900xxx, 0141 496 0xxx)
and e-mail addresses and websites use reserved example domains, so none of them reaches anyone.
"""

from __future__ import annotations

from typing import Final

from linksdesk.core.datafiles import load_toml

# -- people -----------------------------------------------------------------------------------
# first names by rough birth cohort (so a 75-year-old is an Agnes more often than a Kayleigh),
# split by the gender they are usually given to, so a husband or a daughter gets a fitting name
# fmt: off
FEMALE_OLDER: Final = (
    "Margaret", "Agnes", "Isobel", "Helen", "Elizabeth", "Janet", "Mary", "Catherine", "Jean",
    "Anne", "Elspeth", "Morag", "Sheena", "Irene", "Sadie", "Betty", "Rena", "Moira", "Jessie",
)
MALE_OLDER: Final = (
    "Robert", "James", "William", "John", "Thomas", "Alexander", "George", "David", "Hugh",
    "Archibald", "Andrew", "Duncan", "Hector", "Walter", "Francis", "Malcolm", "Kenneth",
    "Alistair", "Ian", "Donald", "Peter",
)
FEMALE_MIDDLE: Final = (
    "Karen", "Fiona", "Linda", "Lorraine", "Angela", "Susan", "Tracy", "Donna", "Elaine",
    "Lynn", "Gillian", "Jacqueline", "Wendy", "Yvonne", "Alison", "Michelle", "Nicola", "Shona",
    "Nasreen", "Shabana",
)
MALE_MIDDLE: Final = (
    "Mark", "Paul", "Stephen", "Gary", "Brian", "Derek", "Colin", "Graham", "Stuart", "Scott",
    "Martin", "Craig", "Gordon", "Barry", "Douglas", "Kevin", "Allan", "Neil", "Raymond",
    "Imran", "Tariq",
)
FEMALE_YOUNGER: Final = (
    "Kayleigh", "Nicole", "Gemma", "Lauren", "Rebecca", "Amy", "Stacey", "Jade", "Chloe",
    "Natalie", "Leanne", "Kirsty", "Danielle", "Ashleigh", "Megan", "Caitlin", "Erin", "Rachel",
    "Ayesha", "Agnieszka", "Amara", "Mariam", "Oksana",
)
MALE_YOUNGER: Final = (
    "Ryan", "Connor", "Jamie", "Liam", "Darren", "Sean", "Callum", "Kyle", "Jordan", "Lewis",
    "Ross", "Dylan", "Ewan", "Kieran", "Aaron", "Declan", "Bilal", "Piotr", "Tomasz",
    "Chinedu", "Yusuf",
)
# fmt: on
FIRST_NAMES_OLDER: Final = FEMALE_OLDER + MALE_OLDER
FIRST_NAMES_MIDDLE: Final = FEMALE_MIDDLE + MALE_MIDDLE
FIRST_NAMES_YOUNGER: Final = FEMALE_YOUNGER + MALE_YOUNGER
FEMALE_NAMES: Final = FEMALE_OLDER + FEMALE_MIDDLE + FEMALE_YOUNGER
MALE_NAMES: Final = MALE_OLDER + MALE_MIDDLE + MALE_YOUNGER
FIRST_NAMES: Final = FIRST_NAMES_OLDER + FIRST_NAMES_MIDDLE + FIRST_NAMES_YOUNGER
# what some people prefer to be called
NICKNAMES: Final[dict[str, str]] = {
    "Margaret": "Peggy",
    "Elizabeth": "Betty",
    "Isobel": "Isa",
    "Catherine": "Cathy",
    "Agnes": "Nessie",
    "Robert": "Rab",
    "James": "Jim",
    "William": "Billy",
    "Thomas": "Tam",
    "Alexander": "Sandy",
    "Hugh": "Shug",
    "Francis": "Frank",
    "Andrew": "Andy",
    "Archibald": "Archie",
    "Stephen": "Steve",
    "Jacqueline": "Jackie",
    "Gillian": "Gill",
    "Alistair": "Ally",
    "Douglas": "Dougie",
    "Kenneth": "Kenny",
    "Rebecca": "Becky",
    "Danielle": "Dani",
    "Nicola": "Nicky",
    "Christopher": "Chris",
    "Malcolm": "Malky",
}

# fmt: off
SURNAMES: Final = (
    "Smith", "Brown", "Wilson", "Campbell", "Stewart", "Thomson", "Robertson", "Anderson",
    "MacDonald", "Scott", "Reid", "Murray", "Taylor", "Clark", "Ross", "Watson", "Morrison",
    "Paterson", "Young", "Mitchell", "Walker", "Fraser", "Miller", "McDonald", "Gray", "Henderson",
    "Hamilton", "Johnston", "Duncan", "Graham", "Ferguson", "Kerr", "Davidson", "Bell", "Cameron",
    "Kelly", "Martin", "Hunter", "Allan", "Mackenzie", "Grant", "Simpson", "McLean", "Docherty",
    "McGregor", "Quinn", "Gallacher", "O'Neill", "Boyle", "Devlin", "Shields", "McLaughlin",
    "Lynch", "Rooney", "Brennan", "Harvey", "Crawford", "Sinclair", "McKay", "Wallace", "Baird",
    "Lindsay", "Burns", "McIntyre", "Houston", "Muir", "Gibson", "Logan", "Rafferty", "Kane",
    "McGuire", "Connelly", "Whyte", "Hughes", "Marshall", "Greig", "Khan", "Ahmed", "Hussain",
    "Ali", "Malik", "Iqbal", "Nowak", "Kowalski", "Wiśniewski", "Okafor", "Adeyemi", "Haddad",
    "Kovalenko", "Mohammed",
)
# fmt: on

# -- places -----------------------------------------------------------------------------------
# invented neighbourhoods; the worker's programme covers the first few most heavily
AREAS: Final = (
    "Burnbrae",
    "Craigmuir",
    "Auchenlea",
    "Dalhaugh",
    "Glenmoss",
    "Kilbrae",
    "Thornbank",
    "Rowanhill",
    "Millholm",
    "Strathburn",
    "Heatherlea",
    "Balmore Park",
    "Inverbank",
    "Carrickvale",
    "Whinfield",
    "Lochside",
)
STREET_STEMS: Final = (
    "Birch",
    "Rowan",
    "Hawthorn",
    "Heather",
    "Thistle",
    "Burn",
    "Mill",
    "Kirk",
    "Braeside",
    "Glen",
    "Loch",
    "Castle",
    "Quarry",
    "Station",
    "Croft",
    "Moss",
    "Dalriada",
    "Arran",
    "Cumbrae",
    "Lomond",
    "Tay",
    "Nevis",
    "Iona",
    "Lismore",
    "Skye",
    "Fyne",
    "Garry",
    "Etive",
)
STREET_KINDS: Final = (
    "Street",
    "Road",
    "Avenue",
    "Crescent",
    "Drive",
    "Place",
    "Terrace",
    "Gardens",
    "Court",
    "Way",
)
# Glasgow-like outward codes; inward codes are generated, so the full postcodes are invented
POSTCODE_DISTRICTS: Final = (
    "G31",
    "G32",
    "G33",
    "G34",
    "G40",
    "G42",
    "G45",
    "G51",
    "G52",
    "G53",
    "G21",
    "G22",
    "G15",
    "G13",
    "G20",
    "G43",
)
POSTCODE_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses inward

GP_PRACTICES: Final = (
    "Burnbrae Medical Practice",
    "Craigmuir Health Centre – Practice 2",
    "Auchenlea Family Practice",
    "Dalhaugh Health Centre – Practice 1",
    "Glenmoss Surgery",
    "Kilbrae Road Medical Group",
    "Thornbank Health Centre – Practice 3",
)
# the links worker is based in the first two practices; most participants come from them
GP_PRACTICE_WEIGHTS: Final = (46, 30, 6, 5, 5, 4, 4)

LIBRARIES: Final = ("Burnbrae Library", "Craigmuir Community Library", "Auchenlea Library")
COMMUNITY_CENTRES: Final = (
    "Craigmuir Community Centre",
    "Burnbrae Hub",
    "Dalhaugh Community Flat",
    "St Mungo's Church Hall, Glenmoss",
)
CAFES: Final = ("The Blether Café", "Kettle & Crumb Café", "Burnbrae Community Café")
HOME_VISIT: Final = "Home visit"

# -- referral in ------------------------------------------------------------------------------
PRACTICE_STAFF_ROLES: Final = (
    "Practice nurse",
    "Receptionist",
    "Health care assistant",
    "Practice pharmacist",
    "Practice manager",
    "Advanced nurse practitioner",
    "Community link (practice) mental health nurse",
)
HOUSING_REFERRERS: Final = (
    "Housing officer, Burnbrae Housing Association",
    "Tenancy sustainment officer, Craigmuir & District HA",
    "Housing officer, Thornbank Housing Co-operative",
)
FACTORING_REFERRERS: Final = (
    "Property factor, Clydeview Factoring Services",
    "Factor's housing support worker, Rowanhill Property Management",
)
FAMILY_REFERRERS: Final = ("Daughter", "Son", "Sister", "Niece", "Husband", "Wife", "Partner")
SELF_REFERRAL_NOTES: Final = (
    "Self-referral – saw the poster in the practice waiting room",
    "Self-referral – heard about the links worker from a neighbour",
    "Self-referral – picked up a leaflet at the library",
    "Self-referral by phone to the practice",
)

# -- concerns: what people bring, in the words of the referral and of the participant --------
# weights follow the shape of programme data: stress and low mood, isolation and money lead
CONCERN_WEIGHTS: Final[dict[str, int]] = {
    "Mental health": 30,
    "Isolation": 25,
    "Money and benefits": 24,
    "Physical health": 15,
    "Debt": 12,
    "Housing": 12,
    "Bereavement": 10,
    "Caring": 8,
    "Family": 8,
    "Employment": 7,
    "Food": 6,
    "Fuel": 6,
    "Digital access": 5,
    "Alcohol and drugs": 5,
    "Learning": 4,
    "Other": 2,
}
# concerns people rarely name at first but that surface over several sessions
SURFACE_LATER: Final = ("Money and benefits", "Debt", "Fuel", "Food", "Caring", "Bereavement")

REFERRAL_REASONS: Final[dict[str, tuple[str, ...]]] = {
    "Mental health": (
        "Low mood and anxiety; would benefit from support to get out and about",
        "Stress, poor sleep. Not keen on more medication – please see",
        "Anxiety making it hard to leave the house",
        "Low mood since losing job; tearful in consultation",
        "Long-standing depression, feels stuck. Looking for something to do in the week",
    ),
    "Isolation": (
        "Lonely since retiring; frequent attender",
        "Socially isolated, lives alone, family far away",
        "Would like to meet people – new to the area",
        "Isolated since stroke; lost confidence going out",
    ),
    "Money and benefits": (
        "Money worries; please see re benefits",
        "PIP stopped at review, very anxious about money",
        "Universal Credit sanctions; struggling",
        "Struggling financially, may be entitled to more support",
    ),
    "Debt": (
        "Council tax arrears and catalogue debts, letters piling up",
        "Rent arrears; anxious about losing tenancy",
    ),
    "Housing": (
        "Damp flat affecting chest; needs help with housing association",
        "Needs a ground-floor flat – can't manage the stairs",
        "Overcrowded, waiting on a transfer",
    ),
    "Physical health": (
        "COPD, wants to be more active but doesn't know where to start",
        "Type 2 diabetes, weight; would like a walking group",
        "Chronic pain; low mood; reducing activity",
        "Recovering from heart surgery, wants to rebuild confidence",
    ),
    "Bereavement": (
        "Recently bereaved (husband); struggling",
        "Bereavement – mother died in the spring, not coping",
        "Lost son last year; low, withdrawn",
    ),
    "Caring": (
        "Carer for husband with dementia, exhausted",
        "Looks after mum full time; no break in months",
        "Young carer now adult, caring for brother – would like support",
    ),
    "Family": (
        "Relationship breakdown; contact with children an issue",
        "Family conflict at home, stressed",
    ),
    "Employment": (
        "Off work with stress; worried about returning",
        "Long-term unemployed, wants to get back to work",
    ),
    "Food": ("Running out of food before payday",),
    "Fuel": ("Can't afford to heat the flat; prepayment meter",),
    "Digital access": ("Can't manage online Universal Credit journal",),
    "Alcohol and drugs": (
        "Drinking more since bereavement; wants to cut down",
        "In recovery, needs something to fill the days",
    ),
    "Learning": ("Would like help with reading and writing", "Wants to improve English (ESOL)"),
    "Other": ("Asked to see the links worker – not sure what's available",),
}

CONCERN_DETAIL: Final[dict[str, tuple[str, ...]]] = {
    "Mental health": (
        "Low mood most days",
        "Anxiety, panic when out",
        "Poor sleep, feels on edge",
        "Stress about everything at once",
    ),
    "Isolation": (
        "Lives alone, few visitors",
        "Doesn't go out most days",
        "Lost touch with friends",
    ),
    "Money and benefits": (
        "Not claiming Attendance Allowance",
        "PIP review due",
        "Universal Credit deductions",
        "Pension Credit not claimed",
        "Unsure what they're entitled to",
    ),
    "Debt": ("Council tax arrears", "Catalogue and doorstep loan debts", "Rent arrears"),
    "Housing": (
        "Damp and mould in bedroom",
        "Repairs outstanding",
        "Stairs a struggle – top-floor flat",
        "Housing transfer list",
    ),
    "Physical health": ("COPD", "Diabetes", "Chronic pain", "Mobility", "Weight"),
    "Bereavement": ("Loss of partner", "Loss of parent", "Loss of a child", "Loss of a friend"),
    "Caring": ("Caring for partner", "Caring for parent", "Caring for adult child"),
    "Family": ("Contact with children", "Conflict at home", "Worried about grandchild"),
    "Employment": ("Off sick from work", "Looking for work", "Wants to volunteer"),
    "Food": ("Runs out before payday", "Not eating regular meals"),
    "Fuel": ("Prepayment meter, self-disconnecting", "Fuel debt"),
    "Digital access": ("No internet at home", "Struggles with online forms", "Phone only"),
    "Alcohol and drugs": ("Drinking more than they'd like", "In recovery"),
    "Learning": ("Reading and writing", "English as a second language"),
    "Other": ("Pet care while in hospital", "Legal letter worries"),
}

# -- goals, in the participant's own words ---------------------------------------------------
# (goal, why it matters, steps)
GOALS: Final[dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]]] = {
    "Isolation": (
        (
            "I want to get out of the house more",
            "I'm stuck in these four walls all day and it's getting me down",
            (
                "Look at what's on locally together",
                "Go along to the walking group with my links worker the first time",
                "Try the group on my own",
            ),
        ),
        (
            "Meet some new people my own age",
            "Since I retired I don't speak to anyone from one week to the next",
            (
                "Try the lunch club",
                "Ask about the befriending service",
                "Go to the community café on a Friday",
            ),
        ),
        (
            "Have something to look forward to each week",
            "The weekends are the worst",
            ("Pick one activity to try", "Go twice before deciding", "Ask a neighbour along"),
        ),
    ),
    "Mental health": (
        (
            "Feel less anxious when I go out",
            "I want to be able to go to the shops without panicking",
            (
                "Try the breathing exercises every day",
                "Short walk to the corner shop and back",
                "Go to the peer support group",
            ),
        ),
        (
            "Sleep better",
            "When I don't sleep everything feels worse",
            (
                "Keep a sleep diary for two weeks",
                "Cut down on tea after six",
                "Talk to the GP about how the tablets are going",
            ),
        ),
        (
            "Feel more like myself again",
            "I used to be the one everyone came to",
            ("Do one thing just for me each day", "Try the art group", "Get back to the choir"),
        ),
    ),
    "Money and benefits": (
        (
            "Sort out my money so I'm not worrying every week",
            "The worry about money is making me ill",
            (
                "Gather my letters and bank statements",
                "Benefits check with the welfare rights officer",
                "Apply for Attendance Allowance",
            ),
        ),
        (
            "Get the PIP sorted",
            "Without it I can't pay the bills",
            (
                "Ask for a mandatory reconsideration",
                "Get a letter from the GP",
                "Appointment with the advice centre",
            ),
        ),
    ),
    "Debt": (
        (
            "Sort out my debt",
            "I can't open the letters any more",
            (
                "Make a list of who I owe",
                "Take the letters to the advice centre",
                "Set up a payment plan I can afford",
            ),
        ),
        (
            "Stop the letters from the council about the council tax",
            "I'm frightened of the sheriff officers coming",
            ("Phone the council with my links worker", "Apply for council tax reduction"),
        ),
    ),
    "Housing": (
        (
            "Get the damp in the bedroom fixed",
            "The wee one's chest is always bad",
            (
                "Report the repair in writing",
                "Ask the GP for a supporting letter",
                "Follow up with the housing officer",
            ),
        ),
        (
            "Get moved somewhere on the ground floor",
            "I can't manage the stairs any more",
            ("Fill in the medical priority form", "Get a letter from the physio"),
        ),
    ),
    "Physical health": (
        (
            "Get a bit fitter so I can play with my grandweans",
            "I want to keep up with them",
            (
                "Try the walking group",
                "Build up to the long route",
                "Look at the chair exercise class",
            ),
        ),
        (
            "Walk to the shops without stopping",
            "I want to do my own messages again",
            ("Walk to the end of the street every day", "Go to the pulmonary rehab taster"),
        ),
        (
            "Lose a bit of weight",
            "The nurse says it would help my sugars",
            ("Try the cooking group", "Swap the takeaway for a home meal twice a week"),
        ),
    ),
    "Bereavement": (
        (
            "Learn to live with losing him",
            "Some days I can't see the point",
            ("Go to the bereavement support group", "Talk about him with someone"),
        ),
        (
            "Be able to go through Mum's things",
            "Her room is still just as she left it",
            ("Ask my sister to help one Saturday", "Bereavement support appointment"),
        ),
    ),
    "Caring": (
        (
            "Get a break from caring now and again",
            "I haven't had a day to myself in two years",
            (
                "Register with the carers' centre",
                "Ask for an adult carer support plan",
                "Look into a sitter service",
            ),
        ),
        (
            "Get some help for my mum so I'm not doing it all",
            "I'm worried I'll make myself ill",
            ("Ask social work for an assessment", "Apply for Carer's Allowance"),
        ),
    ),
    "Family": (
        (
            "Get on better with my son",
            "We used to be close",
            ("Try the family support service", "Write down what I want to say"),
        ),
        (
            "See my grandchildren again",
            "They're my world",
            ("Get advice about contact", "Appointment with family mediation"),
        ),
    ),
    "Employment": (
        (
            "Get back into work",
            "I want a routine and my own money",
            ("CV session at the employability service", "Apply for two jobs a week"),
        ),
        (
            "Find some volunteering to get me back into a routine",
            "I need a reason to get up in the morning",
            ("Look at the volunteering opportunities", "Try a taster day"),
        ),
    ),
    "Food": (
        (
            "Make sure there's always food in the cupboard",
            "I go without so the kids can eat",
            ("Get a referral to the pantry", "Benefits check"),
        ),
        (
            "Learn to cook cheap meals",
            "I live on toast",
            ("Try the community cooking class",),
        ),
    ),
    "Fuel": (
        (
            "Keep the house warm this winter without the bill scaring me",
            "I sit in my coat in the evenings",
            ("Energy advice appointment", "Ask about the warm home discount"),
        ),
    ),
    "Digital access": (
        (
            "Learn to use my phone for video calls with my family",
            "My daughter's in Australia",
            ("Go to the digital drop-in at the library", "Practise with the volunteer"),
        ),
        (
            "Be able to do my Universal Credit journal myself",
            "I don't want to rely on other people",
            ("Digital skills sessions at the library", "Set up an email address"),
        ),
    ),
    "Alcohol and drugs": (
        (
            "Cut down on the drink",
            "I don't like who I am when I've had a drink",
            ("Keep a drink diary", "Try the recovery café on a Thursday"),
        ),
        (
            "Stay off the drink and keep busy",
            "Idle days are the dangerous ones",
            ("Go to the recovery café", "Find something for the afternoons"),
        ),
    ),
    "Learning": (
        (
            "Improve my reading and writing",
            "So I can read my own letters",
            ("Adult literacy group at the library",),
        ),
        (
            "Learn English so I can talk to the doctor myself",
            "I don't want my son to have to translate",
            ("Sign up for ESOL classes", "Go to the conversation café"),
        ),
    ),
    "Other": (
        (
            "Get on top of the paperwork",
            "It's all piling up",
            ("Sort the letters into piles together",),
        ),
    ),
}

# -- what the worker writes ------------------------------------------------------------------
FIRST_SESSION: Final = (
    "First meeting. Talked through the referral and what's going on at the moment.",
    "Introductory session. Explained the links worker role and that we go at their pace.",
    "First appointment. Quite nervous at the start but settled as we talked.",
    "First session – spent most of it listening. A lot going on.",
)
CONCERN_SENTENCES: Final[dict[str, tuple[str, ...]]] = {
    "Mental health": (
        "Spoke about feeling low most days; agreed to try one small thing each day.",
        "Talked about anxiety when going out. Practised a breathing exercise together.",
        "Sleep still poor. Encouraged to mention it to the GP at next review.",
    ),
    "Isolation": (
        "Doesn't see anyone most days. Looked at what's on locally; picked the walking group.",
        "Talked about the people who matter; keen to meet others but worried about going alone.",
        "Interested in the lunch club – I'll find out the times.",
    ),
    "Money and benefits": (
        "Discussed money worries; agreed to book a benefits check with the welfare rights officer.",
        "Went through recent letters from DWP together; form due back by the end of the month.",
        "Not claiming Attendance Allowance – talked it through; will apply with support.",
        "Pension Credit never claimed. Welfare rights referral made with consent.",
    ),
    "Debt": (
        "Brought the pile of letters. Sorted them together – mainly council tax and catalogue.",
        "Agreed to take the debts to the advice centre; gave them the drop-in times.",
    ),
    "Housing": (
        "Damp in the bedroom is still not fixed. Helped write to the housing association.",
        "Talked about the stairs; we'll look at the medical priority form next time.",
    ),
    "Physical health": (
        "Breathlessness makes going out hard. Interested in a gentle walking group.",
        "Pain has been bad this week; we kept the session short.",
        "Keen to be more active. Looked at the chair-based exercise class together.",
    ),
    "Bereavement": (
        "Talked a lot about their husband today. Tearful but said it helped to talk.",
        "Anniversary coming up and dreading it. Talked about the bereavement support group.",
    ),
    "Caring": (
        "Caring is taking all their time and energy. Hasn't had a break in months.",
        "Didn't know about the carers' centre; will register with my help.",
    ),
    "Family": (
        "Talked about things at home. Wants to rebuild contact with their son.",
        "Family situation tense this week; mostly listening.",
    ),
    "Employment": (
        "Thinking about work again. Talked about the employability service.",
        "Worried about the return-to-work meeting. Went through what to say.",
    ),
    "Food": ("Ran out of food before payday again. Referral to the community pantry made.",),
    "Fuel": ("Heating off most evenings – prepayment meter. Energy advice referral made.",),
    "Digital access": (
        "No internet at home; struggles with the UC journal. Told them about the library drop-in.",
    ),
    "Alcohol and drugs": (
        "Drinking more since the bereavement and open about it. Recovery café discussed.",
        "Still in recovery and proud of it. Looking for things to fill the afternoons.",
    ),
    "Learning": ("Would like to improve reading. Adult learning group at the library discussed.",),
    "Other": ("Lots of paperwork worries. Sorted through it together.",),
}
FOLLOW_UP_OPENINGS: Final = (
    "Good to see them more settled today.",
    "Arrived a bit late but keen to talk.",
    "A difficult week.",
    "Brighter today.",
    "Caught up on the last fortnight.",
    "Came along on their own today – a big step.",
    "",
)
STRENGTHS: Final = (
    "Spoke warmly about the grandchildren; family are a real source of support.",
    "Has kept up the walks twice a week – really pleased with this.",
    "Showed real determination in getting the forms done.",
    "Good sense of humour even on a hard week.",
    "Has been helping a neighbour with her shopping – clearly values being useful.",
    "Managed to get to the group on their own.",
    "Said they felt listened to for the first time in a long while.",
)
NEXT_STEPS: Final = (
    "Agreed to meet again in two weeks.",
    "Will phone next week to see how the appointment went.",
    "Next session at the library.",
    "I'll chase up the referral and let them know.",
    "They will bring the letters next time.",
    "Agreed to review goals at the next session.",
)
DNA_NOTES: Final = (
    "Did not attend. Texted to offer another appointment.",
    "DNA. Phoned – no answer; left a voicemail. Will try again next week.",
    "Did not attend. Phone number no longer in use – asked reception for an updated number.",
    "Did not attend. Sent a letter offering another time; the door is open.",
)
CANCELLED_NOTES: Final = (
    "Cancelled by participant – hospital appointment the same day. Rebooked.",
    "Cancelled – unwell. Will call to rebook.",
    "Cancelled by me (training day). Phoned to rebook.",
)
PHONE_NOTES: Final = (
    "Phone check-in. Things ticking along; went to the group again this week.",
    "Phoned to see how the benefits appointment went – form submitted.",
    "Short call. Having a bad week; agreed to meet sooner.",
    "Phone call to arrange next meeting and check the referral had come through.",
)
ATTEMPT_NOTES: Final = (
    "Phoned twice, no answer. Left a message.",
    "Tried to phone – straight to voicemail. Texted instead.",
    "No reply to text. Will write.",
)
HOME_VISIT_NOTES: Final = (
    "Home visit – finds it hard to get out at the moment. Flat cold; talked about energy advice.",
    "Home visit. Met their daughter, who was visiting. Talked through the care options.",
    "Home visit – breathlessness bad this week. Went through the forms at the kitchen table.",
)
SUPPORTED_VISIT_NOTES: Final = (
    "Went with them to {resource} for the first session. Nervous beforehand, stayed to the end.",
    "Supported visit to {resource}. Met the organiser; they'll go on their own next week.",
    "Met at the bus stop and went to {resource} together. Signed up.",
)
GROUP_NOTES: Final = (
    "Came to the practice walking group. Chatted with others on the way round.",
    "Joined the Friday coffee morning at the practice. Stayed for an hour.",
)
CLOSING_NOTES: Final = (
    "Final session. Looked back at where things were at the start – much more settled now. "
    "Reminded them the door is always open.",
    "Closing: goals met and going to the group every week. Happy to finish. Door always open.",
    "Closing after three attempts to make contact. Letter sent saying they can come back any time.",
    "Final session by phone. Has the support they need from the carers' centre now.",
)
REOPEN_NOTES: Final = (
    "Got back in touch after a few months – things had slipped again. Glad they called.",
    "Re-referred by the GP. Picked up where we left off.",
)
PRIVATE_NOTE_ADDITIONS: Final = (
    "Disclosed past trauma; not recorded in detail at their request.",
    "Spoke about a safeguarding worry; discussed with supervisor the same day.",
)
REVISION_ADDITIONS: Final = (
    " (Added later: confirmed the appointment time by text.)",
    " (Corrected: the form is due on Friday, not Monday.)",
)

CLOSE_REASONS: Final = (
    "Goals met",
    "Connected to community support",
    "No longer wishes support",
    "Unable to make contact",
    "Moved out of the area",
)
PAUSE_REASONS: Final = (
    "In hospital",
    "Asked for a break over the summer",
    "Caring commitments – will get back in touch",
)
REOPEN_REASONS: Final = ("Got back in touch – the door is always open", "Re-referred by the GP")

CONTACT_PREFERENCES: Final = (
    "Prefers a text first; please don't leave voicemails",
    "Mornings best – school run in the afternoon",
    "Phone the landline; mobile often out of credit",
    "Happy to meet at the library rather than the practice",
    "Letters to home address are fine",
)
RISK_SUMMARIES: Final = (
    "Meet in the practice, not at home (lone working)",
    "History of self-harm – safety plan in place with GP",
    "Dog at home – ask for it to be in another room on home visits",
    "Falls risk – ground floor rooms only",
)

# -- relationships ----------------------------------------------------------------------------
FEMALE_RELATIONS: Final = frozenset({"Daughter", "Sister", "Wife", "Granddaughter", "Mum", "Niece"})
MALE_RELATIONS: Final = frozenset({"Son", "Brother", "Husband", "Grandson"})
FAMILY_RELATIONS: Final = (
    "Daughter",
    "Son",
    "Sister",
    "Brother",
    "Husband",
    "Wife",
    "Partner",
    "Granddaughter",
    "Grandson",
    "Mum",
    "Niece",
    "Cousin",
)
FAMILY_DETAILS: Final = (
    "Visits on Sundays",
    "Lives nearby, pops in most days",
    "Lives down south; phones weekly",
    "Helps with shopping",
    "Contact is difficult at the moment",
)
FRIEND_DETAILS: Final = ("Friend from the old work", "Friend from church", "Bingo pal")
NEIGHBOUR_DETAILS: Final = (
    "Neighbour across the landing – has a spare key",
    "Downstairs neighbour, checks in",
)
SERVICE_CONTACTS: Final = (
    ("Community psychiatric nurse", "Sees them monthly"),
    ("Housing officer", "Dealing with the repair"),
    ("Social worker", "Adult services – carer assessment"),
    ("District nurse", "Weekly visits for dressings"),
    ("Support worker", "Tenancy support, two hours a week"),
    ("Health visitor", "For the youngest"),
)
GROUP_CONTACTS: Final = (
    ("Walking group", "Tuesday walk"),
    ("Church group", "Goes most Sundays"),
    ("Choir", "Used to go – would like to again"),
)

# -- onward referral outcomes ----------------------------------------------------------------
# an advice service and a walking group end well in different ways
ADVICE_KINDS: Final = frozenset(
    {"welfare_rights", "debt", "advice_centre", "credit_union", "energy", "housing", "food"}
)
ADVICE_ATTENDED: Final = (
    "Benefits check done – award increased",
    "Payment plan agreed; letters have stopped",
    "Seen, and getting help with the forms",
    "Registered and has had a first appointment",
)
OUTCOMES: Final[dict[str, tuple[str, ...]]] = {
    "attended": (
        "Now going every week – says it's the highlight of the week",
        "Went twice, getting on well",
        "Registered and has had a first session",
        "Goes most weeks with a neighbour now",
    ),
    "declined": (
        "Went once; did not feel it was for them",
        "Decided not to go for now",
        "Didn't want to travel that far",
    ),
    "no_capacity": ("Waiting list of about eight weeks", "Group full until the new year"),
    "made": ("Referral sent; waiting to hear", "Phoned to introduce; first session booked"),
    "suggested": ("Has the details; thinking about it",),
}

# -- the resource directory (ALISS-shaped) ---------------------------------------------------
# (kind, categories, concerns it helps with, service names, organisation patterns), declared
# as data in resource_kinds.toml beside this module
RESOURCE_KINDS: Final[
    tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]
] = tuple(
    (
        entry["kind"],
        tuple(entry["categories"]),
        tuple(entry["concerns"]),
        tuple(entry["services"]),
        tuple(entry["organisations"]),
    )
    for entry in load_toml("linksdesk.demo", "resource_kinds.toml")["resource_kinds"]
)
RESOURCE_DESCRIPTIONS: Final = (
    "Friendly, informal sessions. New people always welcome – just come along.",
    "Run by local volunteers. Tea and a blether afterwards.",
    "One-to-one support by appointment, or drop in on the day.",
    "Small group; the organiser will meet new people at the door.",
    "Free, confidential and independent.",
)
RESOURCE_WHEN: Final = (
    "Mondays 10:00–12:00",
    "Tuesdays 13:30–15:00",
    "Wednesdays 10:30–12:00",
    "Thursdays 18:00–20:00",
    "Fridays 10:00–13:00",
    "Monday to Friday 9:00–17:00",
    "By appointment",
    "First Saturday of the month, 11:00–14:00",
)
RESOURCE_WHO_FOR: Final = (
    "Adults 18+",
    "Anyone living in {area}",
    "Over 60s",
    "Men of any age",
    "Carers of any age",
    "Adults with a long-term condition",
    "Everyone welcome",
)
RESOURCE_COST: Final = (
    "Free",
    "Free",
    "Free",
    "£2 a session",
    "Free; tea and toast provided",
    "£1",
)
RESOURCE_ACCESS: Final = (
    "Ground floor, step-free access; accessible toilet",
    "Step-free access; hearing loop",
    "Upstairs, no lift – phone ahead",
    "Outdoors; routes suit most abilities",
    "Wheelchair accessible",
)
RESOURCE_HOW_TO_REFER: Final = (
    "Drop in",
    "Self-referral by phone",
    "Referral form by email",
    "Links worker can phone to introduce",
    "GP or links worker referral",
)
PROBLEM_REPORTS: Final = (
    "Group now meets on Wednesdays, not Tuesdays",
    "Phone number no longer answered",
    "Waiting list longer than listed",
    "Moved to the church hall while the centre is refurbished",
)
