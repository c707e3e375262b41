import KithDomain

struct Field: Sendable {
    let industry: String
    let degree: String
    let employers: [String]
    let skills: [String]
    let juniorTitles: [String]
    let seniorTitles: [String]
    let bio: String

    func titles(for stage: CareerStage) -> [String] {
        switch stage {
        case .senior, .retired: seniorTitles
        default: juniorTitles
        }
    }
}

enum Fields {
    static let all: [Field] = [
        Field(
            industry: "Software",
            degree: "BSc Computer Science",
            employers: ["Brightloop", "Cobalt Systems", "Nimbus Labs", "Quillstack", "Harbor Data"],
            skills: [
                "Swift", "Python", "Distributed systems", "Data engineering", "Kubernetes", "PostgreSQL", "Machine learning",
                "Product thinking", "TypeScript", "Security",
            ],
            juniorTitles: ["Software Engineer", "Data Engineer", "Site Reliability Engineer"],
            seniorTitles: ["Principal Engineer", "VP Engineering", "CTO"],
            bio: "I build software that people rely on and enjoy helping others grow as engineers."
        ),
        Field(
            industry: "Finance",
            degree: "BSc Economics",
            employers: ["Alder Capital", "Meridian Bank", "Northgate Partners", "Ledgerly"],
            skills: ["Financial modelling", "Valuation", "Risk management", "Excel", "Private equity", "Accounting", "Negotiation"],
            juniorTitles: ["Analyst", "Associate", "Financial Analyst"],
            seniorTitles: ["Managing Director", "CFO", "Partner"],
            bio: "Finance person who likes turning numbers into decisions."
        ),
        Field(
            industry: "Healthcare",
            degree: "BSc Nursing",
            employers: ["St. Anne's Hospital", "Clearview Health", "Riverside Clinic", "Medica Group"],
            skills: ["Patient care", "Clinical research", "Public health", "Health policy", "Epidemiology", "Team leadership"],
            juniorTitles: ["Registered Nurse", "Clinical Researcher", "Health Analyst"],
            seniorTitles: ["Chief Nursing Officer", "Director of Clinical Services", "Medical Director"],
            bio: "Working to make care kinder and more effective."
        ),
        Field(
            industry: "Education",
            degree: "BA Education",
            employers: ["Lakeside Academy", "Open Learning Trust", "Northfield University", "Brightpath Schools"],
            skills: ["Curriculum design", "Teaching", "Instructional design", "Assessment", "Mentoring", "EdTech"],
            juniorTitles: ["Teacher", "Instructional Designer", "Program Coordinator"],
            seniorTitles: ["Head of School", "Dean", "Director of Learning"],
            bio: "Teacher at heart; I care about how people learn."
        ),
        Field(
            industry: "Design",
            degree: "BA Design",
            employers: ["Studio Fern", "Pixel & Grain", "Cobalt Systems", "Wayfinder"],
            skills: ["UX research", "Interaction design", "Figma", "Design systems", "Accessibility", "Branding"],
            juniorTitles: ["Product Designer", "UX Researcher", "Visual Designer"],
            seniorTitles: ["Design Director", "Head of Design", "Creative Director"],
            bio: "Designer who believes good products start with listening."
        ),
        Field(
            industry: "Energy",
            degree: "BEng Mechanical Engineering",
            employers: ["Solace Energy", "GridNorth", "Tidewater Power", "Verdant Wind"],
            skills: ["Renewable energy", "Project management", "CAD", "Systems engineering", "Energy policy", "Operations"],
            juniorTitles: ["Project Engineer", "Energy Analyst", "Field Engineer"],
            seniorTitles: ["Chief Engineer", "Director of Operations", "VP Projects"],
            bio: "Engineer working on the energy transition."
        ),
        Field(
            industry: "Nonprofit",
            degree: "BA Political Science",
            employers: ["Common Ground Foundation", "City Food Bank", "OpenDoor Housing", "Civic Futures"],
            skills: ["Fundraising", "Community organising", "Grant writing", "Policy analysis", "Program management", "Public speaking"],
            juniorTitles: ["Program Officer", "Community Organiser", "Policy Analyst"],
            seniorTitles: ["Executive Director", "Director of Programs", "Board Chair"],
            bio: "Nonprofit work, community first."
        ),
        Field(
            industry: "Marketing",
            degree: "BA Communications",
            employers: ["Loud Harbor", "Brightloop", "Northgate Media", "Spark & Co"],
            skills: ["Content strategy", "SEO", "Brand strategy", "Analytics", "Copywriting", "Growth marketing"],
            juniorTitles: ["Marketing Associate", "Content Strategist", "Growth Marketer"],
            seniorTitles: ["CMO", "VP Marketing", "Head of Brand"],
            bio: "Storyteller for products and causes."
        ),
    ]

    static let interests = [
        "Climate", "Open source", "Running", "Photography", "Startups", "Music", "Chess", "Cooking", "Travel",
        "Public speaking", "Writing", "Volunteering", "Board games", "Hiking",
    ]
}

enum Names {
    static let first = [
        "Ada", "Amara", "Ben", "Carlos", "Chen", "Dara", "Elena", "Femi", "Grace", "Hana", "Ivan", "Jae", "Kofi", "Lena",
        "Maya", "Noah", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe",
        "Aisha", "Bruno", "Camille", "Diego", "Emeka", "Farah", "Gabriel", "Ingrid", "Jonas", "Keiko", "Leila", "Mateo",
        "Nadia", "Oscar", "Paloma", "Rahul", "Sofia", "Tomas", "Valentina", "Wei", "Yara", "Zain",
    ]
    static let last = [
        "Okafor", "Nguyen", "Garcia", "Smith", "Kim", "Patel", "Rossi", "Müller", "Silva", "Khan", "Cohen", "Ivanova",
        "Tanaka", "Mensah", "Johansson", "O'Brien", "Dubois", "Haddad", "Kowalski", "Santos", "Lee", "Chen", "Adeyemi",
        "Novak", "Fischer", "Moreau", "Larsen", "Costa", "Ahmed", "Brown", "Wright", "Yamamoto", "Osei", "Lopez", "Berg",
    ]
}

enum Places {
    static let all = [
        "London, UK", "Berlin, Germany", "New York, USA", "Toronto, Canada", "Lagos, Nigeria", "Bangalore, India",
        "São Paulo, Brazil", "Singapore", "Sydney, Australia", "Paris, France", "Nairobi, Kenya", "Amsterdam, Netherlands",
        "San Francisco, USA", "Manchester, UK", "Dublin, Ireland", "Tokyo, Japan", "Madrid, Spain", "Stockholm, Sweden",
    ]
}
