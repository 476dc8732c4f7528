"""Demo credentials: eighteen competency-based micro-credentials for teachers, coaches and
school leaders, spread across the demo organizations and every state of the design lifecycle.

Each dict follows content_format.md: the six parts of a good micro-credential (targets, rubric,
resources, job-embedded task, pre- and post-reflection, evidence) plus catalog metadata. Owners
are the demo organizations: "state" (the state department of education), "north" (Riverbend
Unified), "south" (Lakeshore County Schools) and "provider" (a professional-learning provider).
"""

from __future__ import annotations

CREDENTIALS: list[dict] = [
    {
        "slug": "exit-tickets",
        "owner": "north",
        "valid_for_months": 24,
        "visibility": "public",
        "state": "published",
        "title": "Checking for Understanding with Exit Tickets",
        "summary": (
            "Write short exit tickets that tell you, after five minutes of sorting, which students "
            "are ready to move on and which need another pass at the learning target. Over three "
            "lessons you give the tickets, sort what students wrote, and show how the next day's "
            "lesson changed because of it."
        ),
        "competency": (
            "The educator uses exit tickets aligned to the learning target to check every "
            "student's understanding and adjusts the next lesson based on the results."
        ),
        "key_method": (
            "An exit ticket is a quick formative check given in the last minutes of a lesson: one "
            "to three prompts tied directly to the day's learning target, answered by every "
            "student on paper or a device. Its value lies in what happens after class. Research on "
            "formative assessment, from Black and Wiliam's 'Inside the Black Box' to Wiliam's "
            "later work on embedded formative assessment, finds the largest gains when evidence of "
            "student thinking is used to adjust teaching within a day or two rather than simply "
            "graded. A good exit ticket includes at least one item designed to reveal a "
            "predictable misconception, can be sorted in a few minutes into 'got it', 'partly' and "
            "'not yet' piles, and leads to a specific move the next day: a short re-teach for a "
            "small group, a worked example built on the most common error, or an extension for "
            "students who are ready."
        ),
        "audiences": ["teacher"],
        "subject": "all",
        "grade_band": "pk-12",
        "estimated_hours": "15",
        "credit_hours": "1.5",
        "targets": [
            (
                "I can write exit ticket prompts that are aligned to the lesson's learning target "
                "and surface common misconceptions."
            ),
            (
                "I can sort and analyze exit ticket responses quickly to find patterns in what "
                "students understand and misunderstand."
            ),
            (
                "I can use exit ticket results to plan and teach a specific adjustment in the next "
                "lesson for the students who need it."
            ),
        ],
        "standards": [
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "6(a)",
                "name": (
                    "Assessment: the teacher balances the use of formative and summative "
                    "assessment as appropriate to support, verify, and document learning."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "6(g)",
                "name": (
                    "Assessment: the teacher uses multiple and appropriate types of assessment "
                    "data to identify each student's learning needs and to develop differentiated "
                    "learning experiences."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "Edutopia: Assessment",
                "url": "https://www.edutopia.org/topic/assessment",
                "description": (
                    "Teacher-written articles and classroom videos on formative assessment, with "
                    "many quick checks for understanding you can adapt as exit tickets."
                ),
            },
            {
                "title": "Seven Keys to Effective Feedback (Grant Wiggins, ASCD)",
                "url": "https://www.ascd.org/el/articles/seven-keys-to-effective-feedback",
                "description": (
                    "What makes feedback goal-referenced, actionable and timely. Read it before "
                    "you decide how students will hear back about their exit tickets."
                ),
            },
            {
                "title": "Formative Assessment: Revisiting the Exit Ticket (NWEA)",
                "url": (
                    "https://www.nwea.org/blog/2013/formative-assessment-revisiting-exit-ticket/"
                ),
                "description": (
                    "A short post on using exit ticket answers to regroup students for the next "
                    "day's lesson."
                ),
            },
        ],
        "task_title": "Plan, give and act on exit tickets across three lessons",
        "task": (
            "Choose a unit you will teach in the next few weeks and pick three lessons that build "
            "toward the same learning target. For each lesson, write an exit ticket of one to "
            "three prompts that students can finish in five minutes or less. At least one prompt "
            "on each ticket should be built to reveal a misconception you have seen before, for "
            "example a multiple-choice item whose wrong answers come from common errors, or a "
            "'which answer is right, and why?' item.\n\n"
            "Before you give each ticket, write down what a 'got it', 'partly' and 'not yet' "
            "response looks like. Give the ticket to the whole class in the last minutes of the "
            "lesson. The same day, sort the responses into the three groups, count each pile, and "
            "note the most common error or gap in one or two sentences.\n\n"
            "Use what you found to change the next lesson. Record the specific move you made (a "
            "ten-minute re-teach with a small group, a worked example built from an anonymous "
            "student answer, a revised warm-up, an extension task) and which students it was for. "
            "After the third lesson, compare the first and last exit ticket results for the "
            "students you re-taught.\n\n"
            "Gather the evidence as you go: it is much easier to photograph student responses the "
            "day you sort them than to reconstruct them a week later."
        ),
        "pre_reflection": [
            (
                "How do you currently find out, before the end of a lesson or unit, which students "
                "have reached the learning target? What do you do with that information?"
            ),
            (
                "Think of a concept your students regularly misunderstand. What does the "
                "misconception look like in their work, and when do you usually discover it?"
            ),
        ],
        "post_reflection": [
            (
                "What did the exit tickets show you about your students that you would not "
                "otherwise have known? Give one specific example."
            ),
            (
                "How did the students you re-taught do on the later exit tickets, and what does "
                "that tell you about the adjustment you made?"
            ),
            "What will you keep, change or drop in the way you use exit tickets from now on?",
        ],
        "evidence": [
            {
                "title": "Exit tickets, sorting criteria and tallies",
                "kind": "document",
                "min_count": 1,
                "max_count": 3,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The three exit tickets, each with your written 'got it', 'partly' and 'not "
                    "yet' criteria and the number of students in each group."
                ),
                "look_fors": (
                    "Prompts match the learning target; at least one prompt per ticket targets a "
                    "named misconception; criteria are written before the ticket is given."
                ),
                "consent": False,
            },
            {
                "title": "Sorted student responses",
                "kind": "student_work",
                "min_count": 6,
                "max_count": 9,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "At least two responses from each group (got it, partly, not yet) for one or "
                    "more of the lessons, with student names removed. Label each with the group "
                    "you placed it in and a one-line note on why."
                ),
                "look_fors": (
                    "Samples match the group they were sorted into and show the pattern described "
                    "in the analysis."
                ),
                "consent": False,
            },
            {
                "title": "Analysis and instructional adjustment",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 600,
                "description": (
                    "For each lesson: the pattern you found, the adjustment you made the next day "
                    "and for whom, and how those students did on the following ticket."
                ),
                "look_fors": (
                    "Adjustments are specific and follow from the exit ticket results; the effect "
                    "on students is described with evidence."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Exit ticket design",
                    "evidence": [1],
                    "description": (
                        "Prompts are aligned to the learning target and built to reveal "
                        "misconceptions."
                    ),
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "One or more exit tickets is missing or does not yet match the "
                                "lesson's learning target, or the prompts only ask students to "
                                "rate their own understanding. Revise each ticket so students have "
                                "to show the skill named in the target."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "All three exit tickets are aligned to the stated learning target "
                                "and can be completed in about five minutes; each includes at "
                                "least one prompt designed to reveal a named misconception; 'got "
                                "it', 'partly' and 'not yet' criteria are written for every "
                                "ticket."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the prompts across the three tickets "
                                "increase in complexity or ask students to transfer the skill to a "
                                "new context, so the results show growth toward the target rather "
                                "than repeated recall."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Analysis of student responses",
                    "evidence": [2, 3],
                    "description": (
                        "Responses are sorted against the criteria and patterns are named."
                    ),
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Responses are collected but not yet sorted against the written "
                                "criteria, or the analysis gives only a percent correct. Add a "
                                "tally for each group and describe the most common error as "
                                "students actually wrote it."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Responses from all three lessons are sorted into the three groups "
                                "with a tally for each; the six or more samples match the group "
                                "they are placed in; the analysis names at least one specific "
                                "pattern or misconception per lesson."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the analysis explains the likely reasoning "
                                "behind the most common error, quoting student responses, and "
                                "notes which students showed the same pattern across more than one "
                                "lesson."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Instructional adjustment",
                    "evidence": [3],
                    "description": (
                        "The next lesson changes because of what the exit tickets showed."
                    ),
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The next lesson is described but not yet connected to the exit "
                                "ticket results, or the adjustment is general ('I reviewed the "
                                "material'). Name the specific move, who it was for, and which "
                                "result it responds to."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "For at least two of the three lessons, the educator describes a "
                                "specific adjustment in the following lesson (who, what, how long) "
                                "that responds to a pattern in the results, and reports how the "
                                "targeted students did on the next ticket."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and adjustments are differentiated for more "
                                "than one group (for example a re-teach and an extension in the "
                                "same lesson), with before and after results reported for each "
                                "group."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Reflection on impact",
                    "evidence": [3],
                    "description": (
                        "The educator uses the results to judge the effect on students and on "
                        "practice."
                    ),
                    "targets": [2, 3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The reflection describes what was done but not yet what students "
                                "learned or what the educator will do differently. Use the exit "
                                "ticket results to show change, or explain why there was none."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The reflection uses exit ticket results to describe the effect of "
                                "the adjustments on student understanding and names at least one "
                                "change to the educator's future practice."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the reflection considers the students the "
                                "adjustments did not reach, proposes a next step for them, and "
                                "connects exit tickets to checking for understanding during the "
                                "lesson as well."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "accountable-talk",
        "owner": "south",
        "visibility": "public",
        "state": "published",
        "title": "Accountable Talk in Whole-Class Discussion",
        "summary": (
            "Move whole-class discussion away from teacher-student ping-pong and toward students "
            "building on, questioning and disagreeing with each other's ideas. You teach talk "
            "norms and talk moves, lead two recorded discussions, and track who talks and how."
        ),
        "competency": (
            "The educator teaches norms and uses talk moves so that students explain their "
            "reasoning, build on one another's ideas and support claims with evidence."
        ),
        "key_method": (
            "Accountable Talk, developed at the University of Pittsburgh's Institute for Learning, "
            "describes classroom discussion that is accountable to the learning community "
            "(students listen to and build on each other), to accurate knowledge (claims are "
            "correct and can be checked) and to rigorous thinking (reasons are made explicit). "
            "Teachers make this kind of talk happen with a small set of talk moves: revoicing ('So "
            "you're saying...?'), asking a student to restate a classmate's reasoning, asking who "
            "agrees or disagrees and why, inviting students to add on, pressing for evidence, and "
            "giving real wait time. Work by Michaels, O'Connor and Resnick links regular use of "
            "these moves to deeper reasoning and wider participation, especially when the norms "
            "are taught and practiced explicitly rather than assumed."
        ),
        "audiences": ["teacher"],
        "subject": "all",
        "grade_band": "6-12",
        "estimated_hours": "20",
        "credit_hours": "2",
        "targets": [
            (
                "I can teach and reinforce discussion norms that hold students accountable to the "
                "learning community, to accurate knowledge and to rigorous thinking."
            ),
            (
                "I can plan a discussion around an open question that has more than one defensible "
                "answer."
            ),
            (
                "I can use talk moves such as revoicing, wait time, pressing for reasoning and "
                "inviting students to add on or disagree."
            ),
            (
                "I can track participation and the quality of student talk and use what I find to "
                "plan the next discussion."
            ),
        ],
        "standards": [
            {
                "framework": "Common Core State Standards, ELA/Literacy",
                "code": "CCRA.SL.1",
                "name": (
                    "Prepare for and participate effectively in a range of conversations and "
                    "collaborations with diverse partners, building on others' ideas and "
                    "expressing their own clearly and persuasively."
                ),
                "url": "https://www.thecorestandards.org/ELA-Literacy/CCRA/SL/",
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "8(i)",
                "name": (
                    "Instructional Strategies: the teacher asks questions to stimulate discussion "
                    "that serves different purposes, such as probing for understanding and helping "
                    "learners articulate their ideas."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "Institute for Learning, University of Pittsburgh",
                "url": "https://ifl.pitt.edu/",
                "description": (
                    "The home of Accountable Talk, with background on the three accountabilities "
                    "and tools for planning classroom discourse."
                ),
            },
            {
                "title": "Common Core Speaking and Listening Standards",
                "url": "https://www.thecorestandards.org/ELA-Literacy/SL/",
                "description": (
                    "Grade-by-grade expectations for collaborative discussion (standard 1) that "
                    "you can turn into student-friendly norms."
                ),
            },
            {
                "title": "Edutopia: Teaching Strategies",
                "url": "https://www.edutopia.org/topic/teaching-strategies",
                "description": (
                    "Classroom videos and teacher articles on discussion protocols, questioning "
                    "and wait time."
                ),
            },
        ],
        "task_title": "Teach talk norms and lead two recorded discussions",
        "task": (
            "Start by co-creating or introducing three to five discussion norms with your class "
            "and post them where students can see them, along with sentence starters for the talk "
            "moves you want students to use ('I agree with ___ because...', 'Can you say more "
            "about...?', 'I want to add on to what ___ said...'). Spend at least one short lesson "
            "segment practicing the norms on a low-stakes question.\n\n"
            "Plan two whole-class discussions at least a week apart, each built around an open "
            "question from your content that has more than one defensible answer: an "
            "interpretation of a text, a choice between two solution methods, a historical "
            "judgment, a design trade-off. For each, write the question, two or three follow-up "
            "prompts, the positions you expect students to take, and the talk moves you intend to "
            "use.\n\n"
            "Video-record both discussions. During or right after each, complete a participation "
            "tracker: who spoke, how often, and whether each contribution made a claim, gave a "
            "reason or evidence, or responded to a classmate. After the first discussion, choose "
            "one thing to improve (for example more student-to-student responses, or more students "
            "speaking at least once) and plan how you will work on it in the second."
        ),
        "pre_reflection": [
            (
                "Picture a recent whole-class discussion. Roughly what share of the talking did "
                "you do, and how many different students spoke?"
            ),
            (
                "Which discussion norms do your students already follow, and which ones are "
                "hardest for them? Why do you think that is?"
            ),
        ],
        "post_reflection": [
            (
                "Compare your two participation trackers. What changed in who talked and how they "
                "talked, and what do you think caused the change?"
            ),
            (
                "Which talk move came most naturally to you, and which one do you still need to "
                "practice? What did students do when you used it?"
            ),
            (
                "Which students are still rarely heard in whole-class discussion, and what will "
                "you try next for them?"
            ),
        ],
        "evidence": [
            {
                "title": "Classroom discussion video",
                "kind": "video",
                "min_count": 1,
                "max_count": 2,
                "max_minutes": 15,
                "max_words": None,
                "description": (
                    "A continuous clip of up to 15 minutes from each discussion; at minimum, "
                    "submit a clip from the second discussion. Students should be audible."
                ),
                "look_fors": (
                    "Talk moves used by the educator, exchanges that go directly from student to "
                    "student, and students giving reasons or evidence."
                ),
                "consent": True,
            },
            {
                "title": "Discussion plans and participation trackers",
                "kind": "document",
                "min_count": 2,
                "max_count": 4,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Your posted norms and sentence starters, the plan for each discussion, and "
                    "the completed participation tracker for each."
                ),
                "look_fors": (
                    "Open questions with follow-up prompts; trackers complete enough to compare "
                    "the two discussions."
                ),
                "consent": False,
            },
            {
                "title": "Reflection on student talk",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 500,
                "description": (
                    "What the trackers and videos show about participation and reasoning, the goal "
                    "you set after the first discussion, and whether it was met."
                ),
                "look_fors": (
                    "Claims about change are supported by tracker numbers or moments in the video."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Norms and supports for student talk",
                    "evidence": [1, 2],
                    "description": "Students know the norms and have language to use them.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Norms are mentioned but not yet visible to students or practiced, "
                                "or sentence starters are missing. Post the norms and show in the "
                                "plans or video how students practiced them."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Three to five discussion norms are posted or handed out; sentence "
                                "starters for at least three talk moves are available to students; "
                                "the plans or video show at least one moment where the educator "
                                "explicitly reinforces a norm."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students are seen reminding each other of a "
                                "norm or using sentence starters without being prompted, showing "
                                "the norms are shared."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Discussion questions",
                    "evidence": [2],
                    "description": "The questions are worth discussing.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The question has a single correct answer or can be answered with "
                                "a fact, so students have little to discuss. Revise it so students "
                                "must take and defend a position."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Both discussions are built on open questions from the content "
                                "with more than one defensible answer, and each plan lists at "
                                "least two follow-up prompts that ask for reasoning or evidence."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and each plan anticipates the positions and "
                                "misconceptions students are likely to bring, with a prompt ready "
                                "for each."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Use of talk moves",
                    "evidence": [1, 3],
                    "description": "The educator's moves shift the thinking to students.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "In the video most exchanges still go teacher, student, teacher, "
                                "with few talk moves. Look for moments to revoice, to wait, or to "
                                "ask another student to respond before you do."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "In the video the educator uses at least four different talk moves "
                                "(for example revoicing, wait time of three seconds or more, "
                                "asking a student to restate or add on, pressing for evidence), "
                                "and at least three exchanges go directly from one student to "
                                "another."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students start talk moves themselves "
                                "(asking a classmate for evidence, disagreeing respectfully with a "
                                "reason) in several exchanges, and students do visibly more of the "
                                "talking than the educator."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Monitoring participation",
                    "evidence": [1, 2],
                    "description": "Participation data shapes the next discussion.",
                    "targets": [4],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Participation trackers are incomplete or not yet used to plan. "
                                "Complete a tracker for both discussions and name one change you "
                                "made because of the first."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Trackers for both discussions show who spoke and the kind of "
                                "contribution; the reflection names one specific goal set after "
                                "the first discussion and reports with numbers whether it was met "
                                "in the second."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the educator acts on the data for specific "
                                "students (for example, quieter students rehearse with a partner "
                                "first) and reports how their participation changed."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "culturally-responsive-routines",
        "owner": "north",
        "visibility": "public",
        "state": "in_review",
        "title": "Culturally Responsive Classroom Routines",
        "summary": (
            "Redesign the routines you use every week so they draw on students' cultural "
            "knowledge, languages and ways of interacting, and more students take part in the "
            "academic work. You learn about your students, rebuild two routines with their input, "
            "and check whether participation changed."
        ),
        "competency": (
            "The educator designs and refines classroom routines that build on students' cultural "
            "and linguistic assets and increase every student's participation in rigorous work."
        ),
        "key_method": (
            "Culturally responsive teaching treats students' cultures, languages and community "
            "knowledge as resources for learning. Zaretta Hammond describes how routines rooted in "
            "oral traditions, collaboration and storytelling (call and response, turn and talk, "
            "numbered heads together, partner talk in the home language) help dependent learners "
            "process new content and grow into independent learners. Gloria Ladson-Billings' "
            "culturally relevant pedagogy adds that high expectations are not optional: a "
            "responsive routine raises the level of academic challenge rather than lowering it. "
            "The practical work is small and daily: learning about students through surveys, "
            "family conversations and listening; redesigning recurring routines such as lesson "
            "openings, discussion structures and ways of sharing work so that they connect to "
            "those assets; and checking with students and with participation data whether the "
            "change worked for the students it was meant to reach."
        ),
        "audiences": ["teacher"],
        "subject": "all",
        "grade_band": "pk-12",
        "estimated_hours": "18",
        "credit_hours": "2",
        "targets": [
            (
                "I can gather information about my students' cultural backgrounds, languages, "
                "interests and ways of learning, and use it when I plan."
            ),
            (
                "I can redesign at least two recurring classroom routines so they build on "
                "students' cultural and linguistic assets while keeping academic expectations "
                "high."
            ),
            (
                "I can use student feedback and participation data to judge whether a routine is "
                "working for the students it was designed for."
            ),
        ],
        "standards": [
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "2(d)",
                "name": (
                    "Learning Differences: the teacher brings multiple perspectives to the "
                    "discussion of content, including attention to learners' personal, family, and "
                    "community experiences and cultural norms."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "3(a)",
                "name": (
                    "Learning Environments: the teacher collaborates with learners, families, and "
                    "colleagues to build a safe, positive learning climate of openness, mutual "
                    "respect, support, and inquiry."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "Culturally Responsive Teaching and The Brain (Zaretta Hammond)",
                "url": "https://crtandthebrain.com/",
                "description": (
                    "Articles and tools on building students' learning capacity through routines "
                    "grounded in oral tradition and collaboration."
                ),
            },
            {
                "title": "Learning for Justice",
                "url": "https://www.learningforjustice.org/",
                "description": (
                    "Free lessons, articles and professional learning on identity, diversity and "
                    "classroom culture, including the Social Justice Standards."
                ),
            },
            {
                "title": "CASEL: What Is the CASEL Framework?",
                "url": "https://casel.org/fundamentals-of-sel/what-is-the-casel-framework/",
                "description": (
                    "How classroom routines and relationships support students' social and "
                    "emotional learning, and why they matter for belonging."
                ),
            },
        ],
        "task_title": "Learn about your students and redesign two weekly routines",
        "task": (
            "Begin by learning about your students in ways that go beyond a first-week survey. Use "
            "at least two sources: a short interest and language survey, informal conversations, a "
            "family contact (a note home, a call, or a question at a conference), or an identity "
            "map activity. Summarize what you learned in a class asset inventory: the languages "
            "spoken, interests, community knowledge and preferred ways of working you could draw "
            "on in lessons. Remove names before you submit it.\n\n"
            "Choose two routines that happen at least weekly and in which some students rarely "
            "take part, for example the lesson opening, how students share answers, how groups are "
            "formed, or how students ask for help. Redesign each routine using what you learned. "
            "Examples: call and response to introduce new vocabulary, turn and talk in the "
            "language of the student's choice before sharing in English, 'expert' roles that draw "
            "on students' knowledge from outside school, or a story-based opening connected to the "
            "neighborhood. Keep the academic task at the same level of challenge or higher.\n\n"
            "Run each redesigned routine for at least two weeks. Choose a focus group of four to "
            "six students who rarely participated, and before and after the change, count their "
            "participation during the routine (for example how many times each one speaks or "
            "shares work in a ten-minute window). Ask the class for feedback on the routines with "
            "a short survey or conversation, and record one change you made because of what they "
            "said."
        ),
        "pre_reflection": [
            (
                "Which students participate least in your class routines right now? What do you "
                "know, and what do you not yet know, about their lives and strengths outside "
                "school?"
            ),
            (
                "Think about a routine you inherited or have always used. Whose ways of talking "
                "and working does it favor, and whose does it leave out?"
            ),
        ],
        "post_reflection": [
            (
                "What did your focus students do differently during the redesigned routines? Use "
                "your participation counts and at least one specific moment."
            ),
            "What did students' feedback teach you that you would not have seen on your own?",
            (
                "Which assumption about your students changed during this work, and how will that "
                "change your planning?"
            ),
        ],
        "evidence": [
            {
                "title": "Asset inventory and routine designs",
                "kind": "document",
                "min_count": 1,
                "max_count": 2,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The anonymized class asset inventory and a one-page plan for each routine "
                    "showing the original routine, the redesign, and the student assets it draws "
                    "on."
                ),
                "look_fors": (
                    "At least two sources of information; each redesign is linked to specific "
                    "assets and keeps the academic demand high."
                ),
                "consent": False,
            },
            {
                "title": "Redesigned routine in action",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 12,
                "max_words": None,
                "description": (
                    "A clip of up to 12 minutes showing one of the redesigned routines with your "
                    "class, after it has been in use for at least a week."
                ),
                "look_fors": (
                    "Clear directions, broad participation, focus students taking part, and the "
                    "educator affirming and extending student contributions."
                ),
                "consent": True,
            },
            {
                "title": "Participation data and student feedback",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 500,
                "description": (
                    "Before and after participation counts for the focus group, a summary of "
                    "student feedback with examples, and the change you made in response."
                ),
                "look_fors": (
                    "Data collected the same way before and after; feedback leads to an actual "
                    "change."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Knowing students",
                    "evidence": [1],
                    "description": "The educator learns about students from more than one source.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The inventory is based on a single source or lists only general "
                                "categories ('many Spanish speakers'). Add at least one more "
                                "source and name specific assets you could use in a lesson."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The inventory draws on at least two sources, names specific "
                                "languages, interests, community knowledge and ways of working "
                                "represented in the class, and avoids generalizations about groups "
                                "of students."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and it includes input from families or "
                                "community members and notes what the educator learned that "
                                "overturned an earlier assumption."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Routine redesign",
                    "evidence": [1],
                    "description": (
                        "Redesigned routines connect to student assets and keep rigor high."
                    ),
                    "targets": [1, 2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The routines change in surface ways (a new name or theme) that do "
                                "not yet connect to the assets in the inventory, or the academic "
                                "demand goes down. Link each change to a specific asset and keep "
                                "students doing the thinking."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Both redesigned routines are explicitly linked to at least one "
                                "asset from the inventory, are used at least weekly for two weeks, "
                                "and keep or raise the academic demand (students still explain, "
                                "justify or produce work)."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students helped shape at least one routine "
                                "(proposed it, named it, or chose among options), and the video "
                                "shows students leading part of it."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Routine in practice",
                    "evidence": [2],
                    "description": "The routine runs as designed with the whole class.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "In the video the routine is explained but not yet carried out as "
                                "planned, or only a few students take part. Submit a clip where "
                                "the routine runs with the whole class."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The video shows the routine running as planned, with clear "
                                "directions, at least half of the visible students participating, "
                                "and the educator responding to contributions in a way that "
                                "affirms them and pushes the thinking further."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the routine runs with little teacher "
                                "direction, focus students participate visibly, and students use "
                                "home language or cultural knowledge as part of the academic work."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Checking impact with students",
                    "evidence": [3],
                    "description": "Data and student voice show whether the routine works.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Participation was not counted both before and after, or student "
                                "feedback is not yet reported. Collect both so you can tell "
                                "whether the routine worked for the students it was designed for."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Before and after participation counts are reported for a focus "
                                "group of four to six students, student feedback is summarized "
                                "with examples, and at least one change is made to a routine in "
                                "response."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and results are broken down (for example by "
                                "language group), the educator names which students the routines "
                                "have not yet reached, and plans a next step for them."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "observation-feedback-cycles",
        "owner": "state",
        "visibility": "public",
        "state": "published",
        "title": "Leading Observation-Feedback Cycles",
        "summary": (
            "Give teachers short, frequent, evidence-based feedback they can act on the next day. "
            "You complete at least three observation-feedback cycles with two teachers, each with "
            "low-inference notes, one high-leverage action step, practice, and a follow-up visit."
        ),
        "competency": (
            "The school leader observes briefly and often, gives evidence-based feedback focused "
            "on one action step, and follows up to confirm that practice changed."
        ),
        "key_method": (
            "Frequent short observations followed by prompt, focused feedback change teaching more "
            "than one or two formal evaluations a year. Approaches such as Paul Bambrick-Santoyo's "
            "'Get Better Faster' and the Danielson Framework for Teaching's insistence on evidence "
            "over judgment share a core cycle. The leader observes for 10 to 20 minutes and "
            "scripts low-inference evidence: what the teacher and students said and did, not "
            "opinions about it. The leader then chooses one high-leverage, bite-sized action step "
            "the teacher can put in place within a week, and holds a feedback conversation within "
            "48 hours that starts from the evidence, asks the teacher to analyze it, and ends with "
            "the teacher practicing or planning the step. Finally the leader returns to see "
            "whether the step was used and how students responded. The leader's job is to keep the "
            "cycle tight, developmental and focused on student learning."
        ),
        "audiences": ["school-leader"],
        "subject": "leadership",
        "grade_band": "pk-12",
        "estimated_hours": "25",
        "credit_hours": "2.5",
        "targets": [
            (
                "I can collect low-inference evidence of teaching and student learning during a "
                "short classroom observation."
            ),
            (
                "I can choose one high-leverage, bite-sized action step grounded in the "
                "observation evidence."
            ),
            (
                "I can lead a feedback conversation in which the teacher analyzes evidence and "
                "practices or plans the action step."
            ),
            (
                "I can follow up to see whether the action step was put into practice and how it "
                "affected students."
            ),
        ],
        "standards": [
            {
                "framework": "Professional Standards for Educational Leaders (PSEL 2015)",
                "code": "6(e)",
                "name": (
                    "Professional Capacity of School Personnel: deliver actionable feedback about "
                    "instruction and other professional practice through valid, research-anchored "
                    "systems of supervision and evaluation."
                ),
                "url": "https://www.npbea.org/",
            },
            {
                "framework": "Professional Standards for Educational Leaders (PSEL 2015)",
                "code": "6(d)",
                "name": (
                    "Professional Capacity of School Personnel: foster continuous improvement of "
                    "individual and collective instructional capacity to achieve outcomes "
                    "envisioned for each student."
                ),
                "url": "https://www.npbea.org/",
            },
            {
                "framework": "Learning Forward Standards for Professional Learning (2022)",
                "code": "Implementation",
                "name": (
                    "Educators apply research on change, engage in feedback processes, and "
                    "implement and sustain professional learning."
                ),
                "url": "https://learningforward.org/standards-for-professional-learning/",
            },
        ],
        "resources": [
            {
                "title": "The Danielson Group",
                "url": "https://danielsongroup.org/",
                "description": (
                    "Home of the Framework for Teaching; useful for describing what you observe in "
                    "shared, evidence-based language."
                ),
            },
            {
                "title": "Seven Keys to Effective Feedback (Grant Wiggins, ASCD)",
                "url": "https://www.ascd.org/el/articles/seven-keys-to-effective-feedback",
                "description": (
                    "Why useful feedback is specific, timely and goal-referenced; it applies to "
                    "adults as much as to students."
                ),
            },
            {
                "title": "Learning Forward: Standards for Professional Learning",
                "url": "https://learningforward.org/standards-for-professional-learning/",
                "description": (
                    "The Implementation standard describes the sustained support and feedback that "
                    "turn professional learning into changed practice."
                ),
            },
        ],
        "task_title": "Complete observation-feedback cycles with two teachers",
        "task": (
            "Invite two teachers to take part; they may be new to the profession or experienced "
            "teachers working on a specific goal. Make clear that these cycles are developmental "
            "and separate from formal evaluation. Complete at least three cycles with each teacher "
            "over four to six weeks. You will submit the full sequence for one teacher and a "
            "summary for the other.\n\n"
            "For each cycle, observe for 10 to 20 minutes and script low-inference notes: teacher "
            "and student words and actions, time stamps, and evidence of what students were "
            "learning (work samples, answers to questions, how many students completed a task). "
            "Within 48 hours, hold a feedback conversation of 15 to 25 minutes. Open with specific "
            "praise tied to the previous action step, ask a question that leads the teacher to the "
            "evidence, name one action step the teacher can put in place within a week, and have "
            "the teacher practice it: role-play, script a lesson segment, or plan tomorrow's "
            "lesson with the step built in.\n\n"
            "Return within a week for a short follow-up visit focused only on the action step. "
            "Record whether it was used and what students did differently, and let that start the "
            "next cycle.\n\n"
            "With the teacher's written permission, video-record one feedback conversation."
        ),
        "pre_reflection": [
            (
                "Describe your current pattern of classroom visits and feedback: how often, how "
                "long, and what teachers receive afterward. What do teachers do with it?"
            ),
            "Recall a piece of feedback that changed your own teaching. What made it usable?",
        ],
        "post_reflection": [
            (
                "Looking at the sequence of action steps for each teacher, what changed in their "
                "practice and what changed for their students? Point to evidence."
            ),
            (
                "Which part of the cycle was hardest to keep tight (timing, choosing one step, "
                "practice, follow-up), and what will you change in your schedule or approach?"
            ),
        ],
        "evidence": [
            {
                "title": "Observation notes and action-step tracker",
                "kind": "document",
                "min_count": 3,
                "max_count": 6,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Your scripted notes from at least three observations of one teacher, and a "
                    "tracker for both teachers listing each cycle's action step, feedback date, "
                    "follow-up date and what you saw."
                ),
                "look_fors": (
                    "Time-stamped, low-inference notes that include student evidence; one action "
                    "step per cycle; follow-up dates within a week."
                ),
                "consent": False,
            },
            {
                "title": "Recorded feedback conversation",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 20,
                "max_words": None,
                "description": (
                    "One feedback conversation of up to 20 minutes, recorded with the teacher's "
                    "written permission. No students should appear."
                ),
                "look_fors": (
                    "Conversation starts from evidence, the teacher does much of the analysis, and "
                    "it ends with practice of the action step and a follow-up date."
                ),
                "consent": True,
            },
            {
                "title": "Cycle analysis",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 700,
                "description": (
                    "The sequence of action steps for both teachers, the evidence that practice "
                    "changed, and what you learned about your own feedback."
                ),
                "look_fors": "Claims of change are backed by follow-up notes and student evidence.",
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Low-inference evidence",
                    "evidence": [1],
                    "description": (
                        "Observation notes record what happened, including student learning."
                    ),
                    "targets": [1],
                    "levels": [
                        [
                            "Beginning",
                            (
                                "Notes are mostly judgments or summaries ('good engagement', "
                                "'class off task') with few quoted words or counts. Practice "
                                "scripting exactly what the teacher and students say and do."
                            ),
                        ],
                        [
                            "Developing",
                            (
                                "Notes include some direct quotes and time stamps, but evidence of "
                                "student learning (answers, work, how many students did what) is "
                                "missing from at least one observation."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Notes for all three observations are time-stamped, record teacher "
                                "and student words and actions without judgment, and include at "
                                "least one piece of evidence of what students learned or produced."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and notes capture patterns across the room (for "
                                "example 'at the 3-minute scan, 19 of 26 students had written an "
                                "answer'), making the link between teacher moves and student "
                                "learning easy to see."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Choosing the action step",
                    "evidence": [1, 3],
                    "description": "Each cycle focuses on one high-leverage, doable step.",
                    "targets": [2],
                    "levels": [
                        [
                            "Beginning",
                            (
                                "Feedback lists several suggestions or a broad goal ('improve "
                                "classroom management'), so the teacher cannot tell what to do "
                                "first. Pick the one change with the most impact on students."
                            ),
                        ],
                        [
                            "Developing",
                            (
                                "One action step is named, but it is too large to put in place "
                                "within a week or is not clearly tied to the observation evidence."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Each cycle names one observable action step the teacher can put "
                                "in place within a week, tied directly to evidence in the notes, "
                                "and each step builds on the one before."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the leader explains why this step has the "
                                "highest leverage for students right now, and the steps form a "
                                "clear progression toward a larger goal."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "The feedback conversation",
                    "evidence": [2],
                    "description": "The teacher analyzes evidence and practices the step.",
                    "targets": [3],
                    "levels": [
                        [
                            "Beginning",
                            (
                                "In the video the leader does most of the talking and tells the "
                                "teacher what to change; the teacher does not yet analyze evidence "
                                "or practice. Build in a guiding question and time to practice."
                            ),
                        ],
                        [
                            "Developing",
                            (
                                "The leader asks the teacher to look at evidence, but the "
                                "conversation ends without practice or concrete planning of the "
                                "action step."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The conversation takes place within 48 hours of the observation, "
                                "starts from specific evidence, includes a question that leads the "
                                "teacher to the gap, and ends with the teacher practicing or "
                                "scripting the step and a follow-up date."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the teacher states the action step in their "
                                "own words, practice is repeated with feedback until it is sharp, "
                                "and the teacher leaves with materials ready for the next lesson."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Follow-up and impact",
                    "evidence": [1, 3],
                    "description": (
                        "The leader checks whether practice and student learning changed."
                    ),
                    "targets": [4],
                    "levels": [
                        [
                            "Beginning",
                            (
                                "Follow-up visits are not yet documented, so it is unclear whether "
                                "action steps were used. Schedule a short visit within a week of "
                                "each conversation."
                            ),
                        ],
                        [
                            "Developing",
                            (
                                "Follow-up visits are documented for some cycles, but the notes do "
                                "not say what students did differently."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "A follow-up visit within a week is documented for every cycle, "
                                "recording whether the action step was used and at least one "
                                "change in what students did or produced."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the analysis shows change across the "
                                "sequence for both teachers with student evidence, and the leader "
                                "describes a change to their own feedback practice based on what "
                                "worked."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "data-team-meetings",
        "owner": "north",
        "visibility": "internal",
        "state": "published",
        "title": "Facilitating a Data Team Meeting",
        "summary": (
            "Lead a grade-level or department team through a structured data conversation that "
            "ends with a shared instructional plan, not just a look at the numbers. You plan, "
            "facilitate and follow up on two data team meetings using a protocol."
        ),
        "competency": (
            "The leader or coach facilitates a protocol-based data meeting that moves a team from "
            "evidence of student learning to a shared instructional response and a check on it."
        ),
        "key_method": (
            "Data team meetings work when they follow a predictable structure and look closely at "
            "student work, not only at scores. The Data Wise Improvement Process from the Harvard "
            "Graduate School of Education organizes team inquiry into three phases: prepare; "
            "inquire, by building assessment literacy, creating a data overview, digging into "
            "student data and examining instruction; and act, by planning, assessing progress and "
            "adjusting. Within a single meeting, a protocol that has the team notice and wonder "
            "before it interprets keeps the conversation on evidence instead of explanations such "
            "as attendance or home life. A clear agenda with norms, roles and timed segments "
            "protects time for the hardest part: agreeing on one instructional change everyone "
            "will try and how the team will know whether it worked. Skilled facilitators also ask "
            "which students the data describes and whose work is on the table."
        ),
        "audiences": ["school-leader", "coach"],
        "subject": "leadership",
        "grade_band": "pk-12",
        "estimated_hours": "16",
        "credit_hours": "1.5",
        "targets": [
            (
                "I can plan a data team meeting with a clear purpose, agenda, norms, roles and a "
                "protocol suited to the data."
            ),
            (
                "I can facilitate a team to describe evidence before interpreting it and to name a "
                "specific learner-centered problem."
            ),
            (
                "I can guide a team to agree on a common instructional response and a way to "
                "measure its effect, and follow up at the next meeting."
            ),
        ],
        "standards": [
            {
                "framework": "Professional Standards for Educational Leaders (PSEL 2015)",
                "code": "10(d)",
                "name": (
                    "School Improvement: engage others in an ongoing process of evidence-based "
                    "inquiry, learning, strategic goal setting, planning, implementation, and "
                    "evaluation for continuous school and classroom improvement."
                ),
                "url": "https://www.npbea.org/",
            },
            {
                "framework": "Learning Forward Standards for Professional Learning (2022)",
                "code": "Evidence",
                "name": (
                    "Educators build capacity to use evidence, data and research from multiple "
                    "sources to plan learning and to measure its impact."
                ),
                "url": "https://learningforward.org/standards-for-professional-learning/",
            },
        ],
        "resources": [
            {
                "title": "Data Wise Project (Harvard Graduate School of Education)",
                "url": "https://datawise.gse.harvard.edu/",
                "description": (
                    "The Data Wise Improvement Process, the ACE habits of mind, and free tools for "
                    "collaborative data inquiry."
                ),
            },
            {
                "title": "Making Meetings Work (Harvard Usable Knowledge)",
                "url": (
                    "https://www.gse.harvard.edu/ideas/usable-knowledge/18/05/making-meetings-work"
                ),
                "description": (
                    "Common ways team meetings go wrong and how agenda design and facilitation "
                    "prevent them."
                ),
            },
            {
                "title": "Looking at Data Through an Equity Lens (ASCD)",
                "url": "https://www.ascd.org/el/articles/looking-at-data-through-an-equity-lens",
                "description": (
                    "How teams can ask inquiry questions that surface inequitable patterns instead "
                    "of explaining them away."
                ),
            },
        ],
        "task_title": "Plan and facilitate two data team meetings",
        "task": (
            "Work with a team you support (a grade-level team, a department or a course team) that "
            "has common assessment data or student work from a recent unit. Meet with the team "
            "lead beforehand to agree on the purpose and the data to bring. Choose data teachers "
            "can act on within two weeks: a common formative assessment, a set of writing samples "
            "scored with a shared rubric, or item-level results.\n\n"
            "Plan the first meeting: an agenda with a purpose statement, timed segments, roles "
            "(facilitator, timekeeper, note-taker), the team's norms and a protocol that separates "
            "describing from interpreting, such as 'notice, wonder, infer'. Facilitate a meeting "
            "of 45 to 60 minutes in which the team looks at the data and at samples of student "
            "work, names a learner-centered problem (what students are not yet able to do), agrees "
            "on one instructional strategy every teacher will try, and decides what evidence to "
            "bring back.\n\n"
            "Two to four weeks later, facilitate a follow-up meeting where the team examines the "
            "new evidence and decides whether to continue, adjust or drop the strategy. Record the "
            "first meeting on video with everyone's permission, and keep notes from both."
        ),
        "pre_reflection": [
            (
                "Describe the last data meeting you attended or led. What did the team decide, and "
                "what happened in classrooms afterward?"
            ),
            (
                "When a team looks at disappointing results, where does the conversation usually "
                "go? What would you like to be different?"
            ),
        ],
        "post_reflection": [
            (
                "At what point in the first meeting did the team move from describing to "
                "interpreting, and how did you handle it?"
            ),
            (
                "What did the follow-up evidence show, and how confident are you that the team's "
                "strategy caused it?"
            ),
            (
                "What part of facilitation will you hand over to a team member next time, and how "
                "will you prepare them?"
            ),
        ],
        "evidence": [
            {
                "title": "Agendas, protocol and meeting notes",
                "kind": "document",
                "min_count": 2,
                "max_count": 4,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Agendas for both meetings, the protocol you used, the data displays or "
                    "student work sets (with student names removed), and the notes from each "
                    "meeting."
                ),
                "look_fors": (
                    "Purpose, roles, norms, timed segments and protocol are visible; notes record "
                    "the problem, the strategy and the evidence the team agreed to collect."
                ),
                "consent": False,
            },
            {
                "title": "Meeting excerpt",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 15,
                "max_words": None,
                "description": (
                    "Up to 15 minutes from the first meeting, recorded with every participant's "
                    "permission, showing the team moving from describing data to naming a problem. "
                    "No student names or faces should be visible in the materials shown."
                ),
                "look_fors": (
                    "The facilitator keeps the team on evidence, redirects premature explanations, "
                    "and draws in every member."
                ),
                "consent": True,
            },
            {
                "title": "Facilitation reflection",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 600,
                "description": (
                    "What the team decided, what the follow-up evidence showed, and what you would "
                    "change in your facilitation."
                ),
                "look_fors": (
                    "Honest analysis of the facilitator's own moves, tied to moments in the "
                    "meetings."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Meeting design",
                    "evidence": [1],
                    "description": "The agenda sets the team up to produce a decision.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The agenda lists topics but not yet a purpose, timed segments, "
                                "roles or a protocol. Add them so the team knows what it will "
                                "produce by the end."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Agendas for both meetings state a purpose and intended outcome, "
                                "assign roles, include norms and timed segments, and name the "
                                "protocol; the data chosen is recent and something teachers can "
                                "act on within two weeks."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the plan includes prepared data displays or "
                                "sorted student work that make patterns visible, and the team's "
                                "own input shaped the agenda."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "From evidence to problem",
                    "evidence": [1, 2],
                    "description": (
                        "The team describes before it explains, and names a learner-centered "
                        "problem."
                    ),
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "In the video the team jumps to explanations or solutions before "
                                "describing the data. Hold the team in the describing step longer "
                                "and redirect to the evidence."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The video and notes show the team describing specific "
                                "observations from the data before interpreting it, the "
                                "facilitator redirecting to evidence at least once, and agreement "
                                "on a problem stated as what students can and cannot yet do."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the facilitator draws out quieter members, "
                                "raises a question about which students the data describes, and "
                                "the problem statement cites specific student work."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Action and follow-up",
                    "evidence": [1, 3],
                    "description": "The team commits to a strategy and checks its effect.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The team agrees to 'reteach' or similar, but a specific strategy, "
                                "owners and a measure are not yet named, or no follow-up meeting "
                                "took place."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Notes record one specific strategy every teacher will try, the "
                                "evidence each will bring and a date; a follow-up meeting within "
                                "four weeks compares new evidence with the baseline and ends in a "
                                "decision to continue, adjust or drop the strategy."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the follow-up shows the team refining the "
                                "strategy from evidence, with part of the facilitation handed to a "
                                "team member."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "small-group-reading-running-records",
        "owner": "south",
        "visibility": "public",
        "state": "retired",
        "title": "Small-Group Reading Instruction with Running Records",
        "summary": (
            "Use records of oral reading to group K-5 readers by what they need to learn next, and "
            "teach short, targeted small-group lessons. You take running records with six to ten "
            "students, analyze their errors and fluency, and teach a lesson sequence built on what "
            "you find."
        ),
        "competency": (
            "The educator takes and analyzes running records to form flexible reading groups and "
            "teaches targeted lessons in decoding, fluency and comprehension."
        ),
        "key_method": (
            "A running record is a record of a student's oral reading of a short passage. The "
            "teacher marks each word read correctly as well as substitutions, omissions, "
            "insertions, self-corrections and words the teacher supplied, then calculates accuracy "
            "and self-correction rates and notes rate and phrasing. Used well, it shows what a "
            "reader does at the point of difficulty. Current reading research cautions against "
            "teaching children to guess unknown words from pictures or context, so the analysis "
            "here asks whether errors point to gaps in specific phonics patterns (vowel teams, "
            "r-controlled vowels, inflected endings, multisyllabic words), in fluency, or in "
            "comprehension. Small-group lessons then teach that skill directly: a brief explicit "
            "model, guided practice with immediate feedback, and reading of connected text that "
            "contains the pattern. Groups stay flexible: records are repeated every few weeks and "
            "students move as their needs change."
        ),
        "audiences": ["teacher"],
        "subject": "ela",
        "grade_band": "k-5",
        "estimated_hours": "20",
        "credit_hours": "2",
        "targets": [
            (
                "I can administer and score running records accurately, including accuracy rate, "
                "self-correction rate and notes on fluency and comprehension."
            ),
            (
                "I can analyze reading errors to identify each student's next instructional need "
                "and form flexible groups around shared needs."
            ),
            (
                "I can plan and teach short small-group lessons that target the identified need "
                "with explicit modeling, guided practice and reading of connected text."
            ),
        ],
        "standards": [
            {
                "framework": "Common Core State Standards, ELA/Literacy",
                "code": "RF.2.3, RF.2.4",
                "name": (
                    "Know and apply grade-level phonics and word analysis skills in decoding "
                    "words; read with sufficient accuracy and fluency to support comprehension."
                ),
                "url": "https://www.thecorestandards.org/ELA-Literacy/RF/2/",
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "6(g)",
                "name": (
                    "Assessment: the teacher uses multiple and appropriate types of assessment "
                    "data to identify each student's learning needs and to develop differentiated "
                    "learning experiences."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "Types of Informal Classroom-Based Assessment (Reading Rockets)",
                "url": (
                    "https://www.readingrockets.org/topics/assessment-and-evaluation/articles/"
                    "types-informal-classroom-based-assessment"
                ),
                "description": (
                    "An overview of running records and other informal reading assessments, with "
                    "what each can and cannot tell you."
                ),
            },
            {
                "title": "Understanding and Assessing Fluency (Reading Rockets)",
                "url": (
                    "https://www.readingrockets.org/topics/assessment-and-evaluation/articles/"
                    "understanding-and-assessing-fluency"
                ),
                "description": (
                    "How to measure accuracy, rate and prosody, and how fluency links to "
                    "comprehension."
                ),
            },
            {
                "title": "Hasbrouck and Tindal Oral Reading Fluency Norms, 2017 (Reading Rockets)",
                "url": (
                    "https://www.readingrockets.org/topics/assessment-and-evaluation/articles/"
                    "fluency-norms-chart-2017-update"
                ),
                "description": (
                    "Words-correct-per-minute benchmarks by grade and season, for judging whether "
                    "a reader's rate is a concern."
                ),
            },
        ],
        "task_title": "Take running records, form groups and teach a lesson sequence",
        "task": (
            "Choose six to ten students whose reading you want to understand better. Take a "
            "running record with each student on a passage of 100 to 150 words at or near their "
            "instructional level. Score each record for accuracy and self-correction rate, note "
            "words correct per minute and phrasing, and ask two or three comprehension questions "
            "or ask for a brief retell.\n\n"
            "Analyze the errors. For each student, look for patterns. Which phonics patterns are "
            "missed? Does the student read accurately but slowly or without phrasing? Is accuracy "
            "strong but comprehension weak? Group students by shared need rather than by a single "
            "level, and write a one-sentence teaching focus for each group.\n\n"
            "Plan and teach at least four small-group lessons of 15 to 20 minutes with one group. "
            "Each lesson includes a brief explicit model of the skill, guided practice with "
            "immediate feedback, and reading of connected text that contains the target skill. Two "
            "to four weeks after the first records, take a second running record with each student "
            "in the group and compare the results."
        ),
        "pre_reflection": [
            (
                "How do you currently decide which students read together in small groups, and how "
                "often do the groups change?"
            ),
            (
                "When a student gets stuck on a word, what do you usually say? What does that "
                "prompt teach the student to do?"
            ),
        ],
        "post_reflection": [
            (
                "What did the error analysis show you about a student that a reading level alone "
                "would have hidden?"
            ),
            (
                "How did the group's second running records compare with the first, and what will "
                "you teach them next?"
            ),
        ],
        "evidence": [
            {
                "title": "Scored running records",
                "kind": "student_work",
                "min_count": 6,
                "max_count": 14,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Scored running record forms for six to ten students, with names removed, each "
                    "showing accuracy rate, self-correction rate, fluency notes and comprehension "
                    "notes. Include the second records for the group you taught."
                ),
                "look_fors": (
                    "Consistent coding, correct calculations, and notes on what the reader did at "
                    "the point of difficulty."
                ),
                "consent": False,
            },
            {
                "title": "Grouping chart and lesson plans",
                "kind": "document",
                "min_count": 1,
                "max_count": 3,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "A chart showing each student's need and the group's teaching focus, and your "
                    "plans for the four small-group lessons."
                ),
                "look_fors": (
                    "Groups based on named needs backed by errors in the records; lessons that "
                    "target that need."
                ),
                "consent": False,
            },
            {
                "title": "Small-group lesson",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 15,
                "max_words": None,
                "description": "One small-group lesson of up to 15 minutes from the sequence.",
                "look_fors": (
                    "Explicit model, every student practicing with feedback, and reading of "
                    "connected text containing the target skill."
                ),
                "consent": True,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Administering and scoring running records",
                    "evidence": [1],
                    "description": "Records are coded consistently and scored correctly.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Fewer than six records are submitted, or errors are coded "
                                "inconsistently and accuracy or self-correction rates are missing "
                                "or miscalculated. Use standard coding conventions and recheck the "
                                "calculations."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "At least six records use consistent coding for substitutions, "
                                "omissions, insertions, self-corrections and supplied words; "
                                "accuracy and self-correction rates are calculated correctly; each "
                                "record notes fluency and comprehension."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the records note what the reader did at the "
                                "point of difficulty (for example 'reread the line after the "
                                "error', 'decoded only the first syllable'), which the analysis "
                                "then uses."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Analysis and grouping",
                    "evidence": [2],
                    "description": "Groups are formed around shared, named needs.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Students are grouped by accuracy score or level alone, without "
                                "naming what each group needs to learn next. Look across each "
                                "child's errors for a pattern and group by that need."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Each group is based on a named instructional need supported by at "
                                "least three errors or observations from each student's record, "
                                "and each group has a one-sentence teaching focus tied to a "
                                "specific skill."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the analysis separates students with "
                                "similar accuracy but different needs, and explains how groups "
                                "will change after the next records."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Targeted small-group lesson",
                    "evidence": [3],
                    "description": "The lesson teaches the group's need directly.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The lesson in the video is not yet focused on the group's "
                                "identified need, or students mostly listen while the teacher "
                                "reads. Plan a short model, guided practice and student reading of "
                                "text with the target skill."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The video shows a lesson of 15 to 20 minutes in which the "
                                "educator models the target skill, every student practices it with "
                                "immediate corrective feedback, and students read connected text "
                                "containing the skill."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the second records show measurable growth "
                                "on the target skill for most students in the group, with a note "
                                "on which students need a different approach next."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "number-talks",
        "owner": "provider",
        "visibility": "public",
        "state": "published",
        "title": "Number Talks for Mathematical Reasoning",
        "summary": (
            "Run short, frequent number talks in which students solve problems mentally, share "
            "strategies and explain why they work. Over three weeks you plan problem strings, "
            "record students' strategies, and track how their explanations grow."
        ),
        "competency": (
            "The educator leads number talks in which students compute mentally, compare "
            "strategies and justify them with place value and properties of operations."
        ),
        "key_method": (
            "A number talk is a 10- to 15-minute routine, described in detail by Sherry Parrish, "
            "in which the teacher poses a carefully chosen computation problem, students solve it "
            "in their heads and signal quietly when they are ready, and several students explain "
            "their strategies while the teacher records them so the class can compare. Problems "
            "are often sequenced as strings that nudge students toward a particular strategy, such "
            "as making a ten, breaking numbers apart by place value, or compensation. The "
            "teacher's role is to ask rather than tell: 'How did you think about it?', 'Who solved "
            "it a different way?', 'Why does that work?' Jo Boaler's work at Youcubed connects "
            "this kind of flexible number sense to stronger achievement and less math anxiety than "
            "timed fact drills. Over time, students move from counting strategies to efficient "
            "ones they can justify."
        ),
        "audiences": ["teacher"],
        "subject": "math",
        "grade_band": "3-5",
        "estimated_hours": "12",
        "credit_hours": "1",
        "targets": [
            (
                "I can choose and sequence number talk problems that lead students toward a target "
                "strategy."
            ),
            (
                "I can facilitate a number talk in which students share, compare and justify "
                "strategies while I record their thinking accurately."
            ),
            (
                "I can use students' explanations to assess their number sense and plan the next "
                "problem strings."
            ),
        ],
        "standards": [
            {
                "framework": "Common Core State Standards, Mathematics",
                "code": "MP.3",
                "name": "Construct viable arguments and critique the reasoning of others.",
                "url": "https://www.thecorestandards.org/Math/Practice/",
            },
            {
                "framework": "Common Core State Standards, Mathematics",
                "code": "MP.7",
                "name": "Look for and make use of structure.",
                "url": "https://www.thecorestandards.org/Math/Practice/",
            },
            {
                "framework": "Common Core State Standards, Mathematics",
                "code": "3.NBT.A.2",
                "name": (
                    "Fluently add and subtract within 1000 using strategies and algorithms based "
                    "on place value, properties of operations, and/or the relationship between "
                    "addition and subtraction."
                ),
                "url": "https://www.thecorestandards.org/Math/Content/3/NBT/",
            },
        ],
        "resources": [
            {
                "title": "Fluency Without Fear (Youcubed)",
                "url": "https://www.youcubed.org/evidence/fluency-without-fear/",
                "description": (
                    "Jo Boaler's summary of research on number sense, and the case for number "
                    "talks over timed drills."
                ),
            },
            {
                "title": "Standards for Mathematical Practice",
                "url": "https://www.thecorestandards.org/Math/Practice/",
                "description": (
                    "The eight practices, including constructing arguments (MP.3) and using "
                    "structure (MP.7), that number talks make visible."
                ),
            },
            {
                "title": "National Council of Teachers of Mathematics",
                "url": "https://www.nctm.org/",
                "description": (
                    "Articles and classroom resources on productive mathematical discourse and the "
                    "Effective Mathematics Teaching Practices."
                ),
            },
        ],
        "task_title": "Run three weeks of number talks",
        "task": (
            "Plan at least three problem strings that build toward strategies your students need, "
            "for example making a ten to add (38 + 47), compensation to subtract (63 - 29), or "
            "breaking apart a factor to multiply (6 x 14). For each string, write three to five "
            "problems, the strategies you expect, the target strategy, and the questions you will "
            "ask.\n\n"
            "Hold number talks at least three times a week for three weeks, nine or more in all. "
            "Students solve mentally and show a quiet thumb when they have an answer, adding a "
            "finger for each additional strategy. Collect all answers, including wrong ones, "
            "without judging them. Ask several students to explain, record each strategy on the "
            "board with a number line, an array or equations, and ask the class to compare "
            "strategies and explain why they work.\n\n"
            "Keep a strategy log: after each talk, note the strategies students used, who shared, "
            "and any misconceptions, and use the log to choose the next string. Photograph your "
            "board from at least three talks."
        ),
        "pre_reflection": [
            (
                "How do your students currently solve a problem like 49 + 26 in their heads? How "
                "do you know?"
            ),
            "When a student gives a wrong answer in front of the class, what usually happens next?",
        ],
        "post_reflection": [
            (
                "Which students' strategies changed the most over the three weeks? Describe a "
                "strategy from the first week and one from the last."
            ),
            (
                "How did collecting wrong answers without judgment affect what students were "
                "willing to share?"
            ),
            "How will number talks fit into your regular schedule from now on?",
        ],
        "evidence": [
            {
                "title": "Number talk video",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 15,
                "max_words": None,
                "description": (
                    "One complete number talk of up to 15 minutes from the second or third week."
                ),
                "look_fors": (
                    "Mental computation, answers collected without judgment, several students "
                    "explaining, accurate recording, and 'why does that work?' questions."
                ),
                "consent": True,
            },
            {
                "title": "Board recordings",
                "kind": "image",
                "min_count": 3,
                "max_count": 6,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Photos of your board recording from at least three talks, with no student "
                    "faces visible."
                ),
                "look_fors": (
                    "Strategies recorded accurately with representations that make the math "
                    "visible."
                ),
                "consent": False,
            },
            {
                "title": "Problem strings and strategy log",
                "kind": "document",
                "min_count": 1,
                "max_count": 2,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Your problem strings with anticipated and target strategies, and the strategy "
                    "log covering every talk."
                ),
                "look_fors": (
                    "Strings that build toward a strategy; a log that leads to decisions about the "
                    "next string."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Problem strings",
                    "evidence": [3],
                    "description": "Problems are sequenced to build a strategy.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Problems are chosen at random or from a worksheet, with no target "
                                "strategy named. Build each string so that early problems set up "
                                "the strategy for later ones."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "At least three problem strings are submitted, each naming a "
                                "target strategy, with three to five problems in which earlier "
                                "problems support the strategy in later ones, and a list of "
                                "anticipated student strategies."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the strings are adjusted over the three "
                                "weeks based on the strategy log, with a note explaining each "
                                "change."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Facilitating the talk",
                    "evidence": [1, 2],
                    "description": "Students do the reasoning; the educator records and asks.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "In the video the educator explains the strategy or confirms "
                                "answers before students have shared and compared. Collect all "
                                "answers first and let students do the explaining."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "In the video students compute mentally and signal quietly, all "
                                "answers are collected without judgment, at least three students "
                                "explain a strategy, each strategy is recorded accurately with a "
                                "representation, and the educator asks at least one 'why does that "
                                "work?' question."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students respond directly to each other's "
                                "strategies (agreeing, questioning, comparing efficiency), and the "
                                "educator connects a strategy to a property of operations or place "
                                "value in student-friendly language."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Using student thinking",
                    "evidence": [1, 2],
                    "description": "The strategy log drives the next steps.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The log lists answers but not yet the strategies students used or "
                                "what they suggest about next steps. Note each strategy and who "
                                "used it."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The strategy log covers at least nine talks, records strategies "
                                "and misconceptions, and shows at least two decisions about the "
                                "next string made because of what students did."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the log follows individual students over "
                                "time, showing who moved from counting to more efficient "
                                "strategies, with a plan for those who have not yet."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "claim-evidence-reasoning",
        "owner": "north",
        "visibility": "public",
        "state": "changes_requested",
        "title": "Claim, Evidence, Reasoning in Science Writing",
        "summary": (
            "Teach middle school students to write scientific explanations that make a claim, back "
            "it with data, and connect the two with a scientific principle. You teach the "
            "framework with an investigation, score student writing with a CER rubric, and give "
            "feedback that improves a second draft."
        ),
        "competency": (
            "The educator teaches students to write scientific explanations using claim, evidence "
            "and reasoning, and uses their writing to give targeted feedback."
        ),
        "key_method": (
            "The claim-evidence-reasoning (CER) framework, developed by Katherine McNeill and "
            "Joseph Krajcik, breaks a scientific explanation into three parts: a claim that "
            "answers the question; evidence, meaning appropriate and sufficient data from an "
            "investigation or text; and reasoning that explains why the evidence supports the "
            "claim by applying a scientific principle. It supports the NGSS practices of "
            "constructing explanations and engaging in argument from evidence. Students learn it "
            "best when it is introduced with data from their own investigation, when the teacher "
            "models with a think-aloud and contrasting examples of strong and weak explanations, "
            "and when students get specific feedback, especially on reasoning, which is the part "
            "students most often leave out or reduce to restating the evidence. A rebuttal can be "
            "added as students become more confident."
        ),
        "audiences": ["teacher"],
        "subject": "science",
        "grade_band": "6-8",
        "estimated_hours": "15",
        "credit_hours": "1.5",
        "targets": [
            (
                "I can design an investigation-based writing task that asks students to answer a "
                "scientific question with a claim, evidence and reasoning."
            ),
            (
                "I can model and scaffold each part of a scientific explanation, especially "
                "reasoning that links evidence to a scientific principle."
            ),
            (
                "I can assess student explanations with a CER rubric and give feedback that leads "
                "to stronger revisions."
            ),
        ],
        "standards": [
            {
                "framework": "Next Generation Science Standards",
                "code": "SEP 6",
                "name": (
                    "Science and Engineering Practices: constructing explanations (for science) "
                    "and designing solutions (for engineering)."
                ),
                "url": "https://www.nextgenscience.org/",
            },
            {
                "framework": "Next Generation Science Standards",
                "code": "SEP 7",
                "name": "Science and Engineering Practices: engaging in argument from evidence.",
                "url": "https://www.nextgenscience.org/",
            },
            {
                "framework": "Common Core State Standards, ELA/Literacy",
                "code": "WHST.6-8.1",
                "name": "Write arguments focused on discipline-specific content.",
                "url": "https://www.thecorestandards.org/ELA-Literacy/WHST/6-8/",
            },
        ],
        "resources": [
            {
                "title": "Next Generation Science Standards",
                "url": "https://www.nextgenscience.org/",
                "description": (
                    "The standards and their appendices, including the practices of constructing "
                    "explanations and arguing from evidence."
                ),
            },
            {
                "title": "STEM Teaching Tools",
                "url": "https://stemteachingtools.org/",
                "description": (
                    "Short, research-based practice briefs for science teachers on the NGSS "
                    "practices, including argumentation and scientific writing."
                ),
            },
            {
                "title": "National Science Teaching Association",
                "url": "https://www.nsta.org/",
                "description": (
                    "Journal articles and lesson ideas from middle school science teachers, many "
                    "of them on teaching CER."
                ),
            },
        ],
        "task_title": "Teach, score and revise scientific explanations",
        "task": (
            "Choose an investigation from your current unit that produces data students can use to "
            "answer a question, such as 'Did a chemical reaction occur when we mixed baking soda "
            "and vinegar?' or 'Which surface slowed the cart the most?' Write the question, a "
            "student-friendly CER rubric with separate criteria for claim, evidence and reasoning, "
            "and a strong and a weak model explanation for a different question.\n\n"
            "After students complete the investigation, teach CER explicitly. Analyze the model "
            "explanations together, think aloud as you build reasoning that names the scientific "
            "principle, and offer a graphic organizer or sentence frames to students who need "
            "them. Students then write their own explanations. Video-record the whole lesson.\n\n"
            "Score every explanation with the rubric. Choose six students across the range of "
            "scores and give each written or spoken feedback focused on one part of CER. Students "
            "revise, and you score the revisions with the same rubric."
        ),
        "pre_reflection": [
            (
                "When your students write about a lab or investigation, what do their conclusions "
                "usually look like? Which part is weakest?"
            ),
            (
                "How do you currently give feedback on science writing, and how often do students "
                "revise in response?"
            ),
        ],
        "post_reflection": [
            (
                "Which part of CER improved most between drafts, and which feedback seemed to "
                "cause it?"
            ),
            (
                "What did students' reasoning reveal about their understanding of the science, not "
                "only their writing?"
            ),
        ],
        "evidence": [
            {
                "title": "Task, rubric, models and class analysis",
                "kind": "document",
                "min_count": 1,
                "max_count": 3,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The investigation question, your CER rubric, the strong and weak model "
                    "explanations with your think-aloud notes, and a one-page analysis of patterns "
                    "in the class's first drafts and of how the six students' scores changed."
                ),
                "look_fors": (
                    "A question that requires investigation data; separate rubric criteria for "
                    "claim, evidence and reasoning; contrasting models; an analysis that cites "
                    "student work."
                ),
                "consent": False,
            },
            {
                "title": "First drafts and revisions",
                "kind": "student_work",
                "min_count": 6,
                "max_count": 12,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The first draft and revision from six students, names removed, with your "
                    "rubric scores and the feedback each student received."
                ),
                "look_fors": (
                    "Feedback focused on one CER component with a clear next step; revisions that "
                    "respond to it."
                ),
                "consent": False,
            },
            {
                "title": "CER lesson video",
                "kind": "video",
                "min_count": 1,
                "max_count": 3,
                "max_minutes": 20,
                "max_words": None,
                "description": (
                    "A recording of the whole lesson in which you teach CER, from analyzing the "
                    "model explanations through students writing their own. Submit it in parts of "
                    "up to 20 minutes each."
                ),
                "look_fors": (
                    "A think-aloud that names the scientific principle; students comparing strong "
                    "and weak models; scaffolds offered for students to choose."
                ),
                "consent": True,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Writing task and rubric",
                    "evidence": [1],
                    "description": "The task requires evidence from the investigation.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The question can be answered without data from the investigation, "
                                "or the rubric does not yet separate claim, evidence and "
                                "reasoning. Revise the task so students must use their own data."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The question can only be answered with data from the "
                                "investigation; the rubric has separate criteria for claim, "
                                "evidence and reasoning with at least three levels each, in "
                                "student-friendly language."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the task includes a rebuttal or "
                                "'alternative explanation' component for students ready for it."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Modeling and scaffolding",
                    "evidence": [1, 3],
                    "description": "Students see and hear what strong reasoning sounds like.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Students are given the CER terms and an organizer, but not yet a "
                                "model or think-aloud that shows what strong reasoning sounds "
                                "like. Add contrasting examples."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The materials and video show a strong and a weak model "
                                "explanation, a think-aloud that names the scientific principle in "
                                "the reasoning, and scaffolds (organizer or sentence frames) that "
                                "students can choose to use."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and scaffolds are differentiated (for example "
                                "frames with and without sentence starters), with a plan for "
                                "removing them over the unit."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Feedback and revision",
                    "evidence": [2],
                    "description": "Feedback leads to better explanations.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Drafts are scored, but feedback is general ('add more detail') or "
                                "revisions are not yet included. Give feedback on one part of CER "
                                "and have students revise."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Drafts and revisions from six students are scored with the "
                                "rubric, each student receives feedback on one CER component with "
                                "a specific next step, and at least four of the six revisions "
                                "improve on that component."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the analysis names a class-wide pattern "
                                "(such as reasoning that only restates evidence) and describes a "
                                "whole-class mini-lesson that addressed it, with evidence of its "
                                "effect."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "co-teaching-models",
        "owner": "south",
        "visibility": "internal",
        "state": "published",
        "title": "Co-Teaching Models for Inclusive Classrooms",
        "summary": (
            "Plan and teach with a partner so that both of you teach, and students with "
            "disabilities receive specially designed instruction inside the general education "
            "classroom. You co-plan a two-week sequence, use at least three co-teaching models, "
            "and track the progress of students with IEPs."
        ),
        "competency": (
            "The educator co-plans and co-teaches with a partner, choosing co-teaching models that "
            "deliver specially designed instruction to students with disabilities."
        ),
        "key_method": (
            "Co-teaching pairs a general educator with a special educator (or another specialist) "
            "who share responsibility for planning, teaching and assessing a diverse class. "
            "Marilyn Friend and Lynne Cook describe six approaches: one teach, one observe; "
            "station teaching; parallel teaching; alternative teaching; team teaching; and one "
            "teach, one assist. Strong partnerships use the models that lower the student-teacher "
            "ratio (station, parallel and alternative teaching) most often, keep 'one teach, one "
            "assist' to short stretches, and plan together regularly so that IEP goals and "
            "accommodations are built into lessons rather than added afterward. Choosing a model "
            "is a planning decision driven by the lesson goal and by current data on students, not "
            "a fixed division of labor."
        ),
        "audiences": ["teacher"],
        "subject": "special-education",
        "grade_band": "pk-12",
        "estimated_hours": "24",
        "credit_hours": "2.5",
        "targets": [
            (
                "I can co-plan lessons with my partner that name each teacher's role and build in "
                "students' IEP goals and accommodations."
            ),
            (
                "I can choose and use at least three co-teaching models, matching each model to "
                "the lesson goal and students' needs."
            ),
            (
                "I can collect and use progress data for students with disabilities to adjust our "
                "co-teaching."
            ),
        ],
        "standards": [
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "2(b)",
                "name": (
                    "Learning Differences: the teacher makes appropriate and timely provisions "
                    "(pacing, task demands, communication, assessment, and response modes) for "
                    "individual students with particular learning differences or needs."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "10(b)",
                "name": (
                    "Leadership and Collaboration: the teacher works with other school "
                    "professionals to plan and jointly facilitate learning on how to meet the "
                    "diverse needs of learners."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "IRIS Center (Vanderbilt University)",
                "url": "https://iris.peabody.vanderbilt.edu/",
                "description": (
                    "Free online modules and case studies on inclusive instruction, accommodations "
                    "and collaboration between educators."
                ),
            },
            {
                "title": "High-Leverage Practices for Students with Disabilities (CEC and CEEDAR)",
                "url": "https://highleveragepractices.org/",
                "description": (
                    "The high-leverage practices, starting with collaborating with professionals "
                    "to increase student success."
                ),
            },
            {
                "title": "CAST: Universal Design for Learning Guidelines",
                "url": "https://udlguidelines.cast.org/",
                "description": (
                    "A framework for planning lessons with multiple means of engagement, "
                    "representation, and action and expression."
                ),
            },
        ],
        "task_title": "Co-plan and co-teach a two-week sequence",
        "task": (
            "With your co-teaching partner, plan a sequence of at least six lessons over about two "
            "weeks, meeting at least twice to plan. For each lesson, record the learning goal, the "
            "co-teaching model you chose and why, what each teacher does, and where IEP goals, "
            "accommodations or specially designed instruction appear. Use at least three different "
            "models across the sequence, including at least two that reduce group size (station, "
            "parallel or alternative teaching).\n\n"
            "Choose three to five focus students with IEPs and refer to them by initials or codes "
            "only. Before the sequence, collect baseline data on a skill connected to both the "
            "lesson goals and their IEP goals: a short probe, a work sample scored with a "
            "checklist, or a count of independent responses. Collect the same measure at the "
            "end.\n\n"
            "Video-record one lesson in which you use station, parallel or alternative teaching. "
            "After the sequence, review the focus students' data with your partner and agree on "
            "one change to your co-teaching for the next unit. Your partner should review the "
            "evidence before you submit it."
        ),
        "pre_reflection": [
            (
                "Describe how you and your partner share the work right now. Who plans, who leads "
                "instruction, and who works with students with IEPs?"
            ),
            "Which co-teaching models have you used, and what has kept you from using others?",
        ],
        "post_reflection": [
            (
                "What did the focus students' data show, and which co-teaching choices do you "
                "think made the difference?"
            ),
            "How did the way you and your partner divide the work change over the two weeks?",
            "What one change to your co-teaching did you agree on, and why that one?",
        ],
        "evidence": [
            {
                "title": "Co-planning records",
                "kind": "document",
                "min_count": 2,
                "max_count": 6,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Plans for at least six lessons showing the goal, the model and reason, each "
                    "teacher's role, and where IEP goals and accommodations appear; notes from at "
                    "least two planning meetings."
                ),
                "look_fors": (
                    "Both teachers' roles are active; specially designed instruction is visible in "
                    "the plans."
                ),
                "consent": False,
            },
            {
                "title": "Co-taught lesson",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 20,
                "max_words": None,
                "description": (
                    "Up to 20 minutes of a lesson using station, parallel or alternative teaching."
                ),
                "look_fors": (
                    "Both teachers teaching, smooth transitions, every student working in a group "
                    "with purpose."
                ),
                "consent": True,
            },
            {
                "title": "Focus student data and next steps",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 600,
                "description": (
                    "Baseline and end data for each focus student in a small table, your "
                    "interpretation, and the change you and your partner agreed on."
                ),
                "look_fors": (
                    "Same measure at both points; interpretation for each student; a concrete "
                    "change."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Co-planning",
                    "evidence": [1],
                    "description": "Plans show shared roles and specially designed instruction.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Plans show what will be taught but not yet who does what, or IEP "
                                "goals and accommodations are not yet visible in the lessons. Add "
                                "each teacher's role and where specially designed instruction "
                                "happens."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Plans for at least six lessons record the goal, the model with a "
                                "reason, each teacher's role, and at least one IEP goal, "
                                "accommodation or piece of specially designed instruction for the "
                                "focus students; notes show at least two joint planning meetings."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and plans show both teachers contributing "
                                "expertise (for example the special educator designs the "
                                "scaffolded station), with lead roles alternating across lessons."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Use of co-teaching models",
                    "evidence": [2],
                    "description": "Models are matched to the lesson and both teachers teach.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The sequence relies mainly on 'one teach, one assist', or the "
                                "model chosen does not yet fit the lesson goal. Try a model that "
                                "lowers group size when students need more targeted instruction."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "At least three models are used across the sequence, including at "
                                "least two of station, parallel or alternative teaching; the video "
                                "shows both teachers actively teaching, clear transitions, and "
                                "every student working in a group."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and groups in the video are flexible and based "
                                "on recent data rather than on disability labels, and students "
                                "move between teachers without losing instructional time."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Progress of students with disabilities",
                    "evidence": [3],
                    "description": "Data on focus students shapes the partnership.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Data for focus students is missing at the start or end, or the "
                                "reflection does not yet say how co-teaching will change. Collect "
                                "the same measure twice and agree on a next step with your "
                                "partner."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Baseline and end data on the same measure are reported for three "
                                "to five focus students, results are interpreted for each student, "
                                "and the partners name one change to their co-teaching based on "
                                "the data."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the data is compared with the class as a "
                                "whole, and the partners describe how they will share results with "
                                "the IEP team and families."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "academic-language-multilingual-learners",
        "owner": "provider",
        "visibility": "public",
        "state": "published",
        "title": "Scaffolding Academic Language for Multilingual Learners",
        "summary": (
            "Plan lessons so that multilingual learners do the same rigorous content work as their "
            "classmates, with the language support they need to read, talk and write about it. You "
            "analyze a lesson's language demands, build scaffolds by proficiency level, and show "
            "how students' academic language grew."
        ),
        "competency": (
            "The educator identifies the language demands of a content lesson and provides "
            "scaffolds that let multilingual learners engage with grade-level content."
        ),
        "key_method": (
            "Every content lesson makes language demands: the vocabulary, sentence structures and "
            "ways of organizing ideas students need in order to explain, argue, narrate or inform. "
            "The WIDA English Language Development Standards Framework (2020 edition) organizes "
            "these demands around Key Language Uses and describes what learners can do at each "
            "proficiency level. Effective scaffolding keeps the content at grade level and adjusts "
            "the support: visuals and realia, graphic organizers, sentence frames that model the "
            "target structure, structured partner talk before writing, strategic use of students' "
            "home languages, and explicit teaching of general academic words such as 'analyze' and "
            "'therefore' alongside content vocabulary. Scaffolds are planned for specific "
            "proficiency levels and removed as students gain independence."
        ),
        "audiences": ["teacher"],
        "subject": "multilingual",
        "grade_band": "6-12",
        "estimated_hours": "20",
        "credit_hours": "2",
        "targets": [
            "I can analyze a lesson's language demands at the word, sentence and discourse levels.",
            (
                "I can design scaffolds matched to my students' English proficiency levels that "
                "keep the content at grade level."
            ),
            (
                "I can structure oral language practice so multilingual learners rehearse academic "
                "language before they write."
            ),
            (
                "I can use student talk and writing to show growth in academic language and plan "
                "how to fade scaffolds."
            ),
        ],
        "standards": [
            {
                "framework": "WIDA English Language Development Standards Framework, 2020",
                "code": "ELD Standard 1",
                "name": (
                    "English language learners communicate for Social and Instructional Purposes "
                    "within the school setting."
                ),
                "url": "https://wida.wisc.edu/teach/standards/eld",
            },
            {
                "framework": "WIDA English Language Development Standards Framework, 2020",
                "code": "Key Language Uses: Explain, Argue",
                "name": (
                    "Multilingual learners use language to explain how or why something works and "
                    "to argue a position with evidence across content areas."
                ),
                "url": "https://wida.wisc.edu/teach/standards/eld",
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "8(h)",
                "name": (
                    "Instructional Strategies: the teacher uses a variety of instructional "
                    "strategies to support and expand learners' communication through speaking, "
                    "listening, reading, writing, and other modes."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "WIDA English Language Development Standards Framework",
                "url": "https://wida.wisc.edu/teach/standards/eld",
                "description": (
                    "The 2020 framework, with Key Language Uses and proficiency level descriptors "
                    "to guide planning of language supports."
                ),
            },
            {
                "title": "Colorin Colorado",
                "url": "https://www.colorincolorado.org/",
                "description": (
                    "Strategies, classroom videos and research on teaching English learners, "
                    "including sentence frames and academic vocabulary."
                ),
            },
            {
                "title": "Engaging English Learners in the Science and Engineering Practices",
                "url": "https://stemteachingtools.org/brief/27",
                "description": (
                    "A STEM Teaching Tools practice brief on supporting language through rich "
                    "content talk; written for science, and a useful model for other subjects."
                ),
            },
        ],
        "task_title": "Plan and teach a language-rich lesson with targeted scaffolds",
        "task": (
            "Pick a content lesson in which students must explain or argue something in speaking "
            "and in writing. Complete a language analysis: the Key Language Use (for example "
            "Explain or Argue), content vocabulary, general academic vocabulary, a sentence "
            "structure students will need (such as 'If ___, then ___ because ___'), and how the "
            "final written product is organized. Note the English proficiency levels of the "
            "multilingual learners in the class, using recent ACCESS for ELLs scores or other "
            "assessment data.\n\n"
            "Design scaffolds for at least two proficiency levels: for example, a word bank with "
            "visuals and home-language cognates plus a fill-in frame for students at the entering "
            "and emerging levels, and a list of transition words plus an open frame for students "
            "at the developing and expanding levels. Plan a structured partner talk, such as a "
            "think-pair-share with assigned roles or several rounds with new partners, in which "
            "students rehearse the language aloud before writing.\n\n"
            "Teach the lesson and video-record the partner talk. Collect the written product from "
            "four focus multilingual learners at different proficiency levels, and compare it with "
            "a writing sample from the same students on a similar task before the lesson. Plan "
            "which scaffolds each student will keep, change or drop next."
        ),
        "pre_reflection": [
            (
                "Think of a multilingual learner in your class. What can this student do with the "
                "content orally that does not yet show up in writing?"
            ),
            (
                "What language supports do you use now, and how do you decide who gets them and "
                "when they stop?"
            ),
        ],
        "post_reflection": [
            (
                "What changed in your focus students' writing between the two samples? Point to "
                "specific words or sentences."
            ),
            "Which scaffold made the biggest difference, and for which proficiency level?",
            "How did the oral rehearsal affect what students wrote?",
        ],
        "evidence": [
            {
                "title": "Language analysis and scaffolds",
                "kind": "document",
                "min_count": 1,
                "max_count": 3,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Your language analysis, the proficiency levels of your multilingual learners "
                    "(no names), and the scaffolds you prepared for each level."
                ),
                "look_fors": (
                    "Word, sentence and discourse demands identified; scaffolds differ by level; "
                    "content stays at grade level."
                ),
                "consent": False,
            },
            {
                "title": "Structured partner talk",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 12,
                "max_words": None,
                "description": (
                    "Up to 12 minutes of the partner talk, with at least two focus students "
                    "audible."
                ),
                "look_fors": (
                    "Every focus student speaks and uses target language; the educator prompts for "
                    "more precise language."
                ),
                "consent": True,
            },
            {
                "title": "Before and after writing samples",
                "kind": "student_work",
                "min_count": 8,
                "max_count": 8,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Two writing samples from each of four focus students (one before, one from "
                    "this lesson), names removed, each annotated with the scaffolds used and your "
                    "plan for fading them."
                ),
                "look_fors": (
                    "Annotations identify specific changes in vocabulary, sentences or "
                    "organization."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Language demands",
                    "evidence": [1],
                    "description": "The analysis goes beyond vocabulary.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The analysis lists content vocabulary only. Add the sentence "
                                "structures and the organization of the final product, which are "
                                "often harder for multilingual learners than individual words."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The analysis names the Key Language Use, at least five content "
                                "words and three general academic words, at least one target "
                                "sentence structure, and the organization of the written product, "
                                "and lists students' proficiency levels."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the analysis anticipates specific "
                                "challenges at different levels (for example 'because' clauses or "
                                "passive voice in science texts) and where home-language knowledge "
                                "can help."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Scaffolds by proficiency level",
                    "evidence": [1],
                    "description": "Support varies by level; the content goal does not.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "One set of supports is given to every multilingual learner, or "
                                "the task is simplified so the content is no longer at grade "
                                "level. Plan different supports for different levels and keep the "
                                "same content goal."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Scaffolds are planned for at least two proficiency levels, "
                                "include at least one visual or graphic support and one "
                                "sentence-level support, and all students work toward the same "
                                "grade-level content goal."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the plan uses home language strategically "
                                "(cognates, discussion with a partner who shares a language) and "
                                "states when each scaffold will be removed."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Oral rehearsal",
                    "evidence": [2],
                    "description": "Students practice the language aloud before writing.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Students talk with a partner, but the talk is unstructured or not "
                                "yet focused on the target language. Give roles, a prompt and a "
                                "frame so every student uses the language."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The video shows a structured partner talk in which every focus "
                                "student speaks, uses the target vocabulary or sentence structure "
                                "at least once, and the educator listens in and prompts for more "
                                "precise language."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students refine their language during the "
                                "talk (a second round is clearer than the first), and the educator "
                                "gives language feedback without interrupting the meaning students "
                                "are building."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Evidence of language growth",
                    "evidence": [3],
                    "description": "Writing samples show what changed and what comes next.",
                    "targets": [4],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Writing samples are included but not yet compared. Annotate both "
                                "samples for each student to show what changed in vocabulary, "
                                "sentences or organization."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Before and after samples for four students are annotated to show "
                                "at least one specific change in each student's academic language, "
                                "and the educator states which scaffolds each student will keep, "
                                "change or drop."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the analysis uses WIDA proficiency level "
                                "descriptors to describe each student's growth, and sets a "
                                "language goal with each student."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "restorative-circles",
        "owner": "south",
        "visibility": "public",
        "state": "draft",
        "title": "Restorative Circles for Classroom Community",
        "summary": (
            "Hold regular community-building circles so students know each other, practice "
            "listening, and have a structure ready when harm needs to be repaired. You prepare "
            "your class, facilitate a series of proactive circles and one responsive circle, and "
            "check how students' sense of belonging changes."
        ),
        "competency": (
            "The educator facilitates proactive and responsive restorative circles that build "
            "relationships, shared agreements and a way to repair harm in the classroom."
        ),
        "key_method": (
            "Restorative practices, as described by the International Institute for Restorative "
            "Practices, rest on the idea that people are more likely to make positive changes when "
            "those in authority do things with them rather than to them or for them. In a circle, "
            "participants sit facing one another and speak in turn, passing a talking piece, in "
            "response to a prompt. Proactive circles (check-ins, getting-to-know-you rounds, "
            "reflections on learning) build trust and should make up most of a class's circles; "
            "responsive circles use restorative questions such as 'What happened?', 'Who was "
            "affected?' and 'What is needed to make things right?' to address conflict or harm. "
            "Circles build the CASEL competencies of social awareness and relationship skills. "
            "They work best when they are regular and short, when every student has the right to "
            "pass, and when the facilitator takes part in the rounds and models openness."
        ),
        "audiences": ["teacher", "counselor"],
        "subject": "all",
        "grade_band": "pk-12",
        "estimated_hours": "14",
        "credit_hours": None,
        "targets": [
            (
                "I can prepare students for circles by co-creating circle agreements and teaching "
                "the talking-piece routine."
            ),
            (
                "I can plan and facilitate proactive circles whose prompts build trust and "
                "connection over several weeks."
            ),
            (
                "I can facilitate a responsive circle that uses restorative questions to repair "
                "harm and restore relationships."
            ),
        ],
        "standards": [
            {
                "framework": "CASEL SEL Framework",
                "code": "Relationship skills",
                "name": (
                    "The abilities to establish and maintain healthy, supportive relationships and "
                    "to navigate settings with diverse individuals and groups."
                ),
                "url": "https://casel.org/fundamentals-of-sel/what-is-the-casel-framework/",
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "3(a)",
                "name": (
                    "Learning Environments: the teacher collaborates with learners, families, and "
                    "colleagues to build a safe, positive learning climate of openness, mutual "
                    "respect, support, and inquiry."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "What Is Restorative Practices? (IIRP)",
                "url": "https://www.iirp.edu/restorative-practices/what-is-restorative-practices",
                "description": (
                    "The International Institute for Restorative Practices' overview, including "
                    "the social discipline window and the use of circles."
                ),
            },
            {
                "title": "CASEL: Fundamentals of SEL",
                "url": "https://casel.org/fundamentals-of-sel/",
                "description": (
                    "The five core competencies and how classroom practices such as circles help "
                    "students develop them."
                ),
            },
            {
                "title": "Edutopia: Classroom Management",
                "url": "https://www.edutopia.org/topic/classroom-management",
                "description": (
                    "Teacher-written articles on building community and handling conflict, "
                    "including several on running circles."
                ),
            },
        ],
        "task_title": "Build a circle practice over four weeks",
        "task": (
            "Introduce circles to your class, advisory or counseling group. Explain the purpose, "
            "teach the talking-piece routine, and co-create three to five circle agreements with "
            "students (for example 'speak from the heart', 'listen with respect', 'you may pass'). "
            "Post the agreements. Before the first circle, give students a short anonymous "
            "belonging survey of four to six items, such as 'I feel like I belong in this class' "
            "and 'Someone in this class would help me if I needed it'.\n\n"
            "Facilitate at least six proactive circles over four weeks, each lasting 10 to 20 "
            "minutes. Plan each one with an opening, one or two low-risk rounds, a deeper round "
            "connected to the life of your class or your content, and a closing. Take part in the "
            "rounds yourself. After each circle, note how many students spoke and how many passed "
            "in each round.\n\n"
            "When a conflict or harm occurs that can appropriately be handled in a classroom "
            "circle, facilitate a responsive circle with the students involved, preparing each "
            "participant individually beforehand. Incidents that call for an administrator, "
            "counselor or safety response are not part of this task. If no suitable incident "
            "occurs, hold a responsive circle on a class-wide issue, such as how students treat "
            "one another during group work. After the last circle, give the belonging survey "
            "again."
        ),
        "pre_reflection": [
            (
                "How do students in your class get to know one another now, and which students "
                "seem least connected?"
            ),
            (
                "When conflict happens in your classroom, what usually happens next, and who is "
                "involved in resolving it?"
            ),
        ],
        "post_reflection": [
            (
                "What changed in how students spoke and listened from the first circle to the "
                "sixth? Use your participation notes."
            ),
            "What did the responsive circle make possible that a consequence alone would not have?",
            (
                "What do the survey results suggest about belonging in your class, and what will "
                "you do next?"
            ),
        ],
        "evidence": [
            {
                "title": "Proactive circle",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 15,
                "max_words": None,
                "description": (
                    "A clip of up to 15 minutes from one of your later proactive circles. Choose a "
                    "circle where no student shares anything private or sensitive."
                ),
                "look_fors": (
                    "Talking piece and agreements in use, a sequence of prompts, the facilitator "
                    "taking part, and passes respected."
                ),
                "consent": True,
            },
            {
                "title": "Circle plans, agreements and survey results",
                "kind": "document",
                "min_count": 2,
                "max_count": 4,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The posted agreements, your plans and participation notes for the six "
                    "proactive circles, and before and after belonging survey results."
                ),
                "look_fors": (
                    "Prompts move from low-risk to deeper over time; survey results reported for "
                    "every item."
                ),
                "consent": False,
            },
            {
                "title": "Responsive circle account",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 800,
                "description": (
                    "An account of the responsive circle: what prompted it, how you prepared "
                    "participants, the questions you asked, the agreement reached, and what "
                    "happened afterward. Leave out names and any detail that could identify a "
                    "student."
                ),
                "look_fors": (
                    "Individual preparation, restorative questions for each person affected, an "
                    "agreement made by participants, and a follow-up."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Preparing for circles",
                    "evidence": [2],
                    "description": "Students own the agreements and know the routine.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Agreements are made by the teacher alone or are not yet posted, "
                                "or students were not taught the talking-piece routine. Build the "
                                "agreements with students so they own them."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Three to five agreements were co-created with students and are "
                                "posted; the plans show how the talking-piece routine and the "
                                "right to pass were taught before the first circle."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students revisit and revise an agreement "
                                "during the four weeks, and a student takes on a role such as "
                                "opening the circle or keeping the talking piece."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Facilitating proactive circles",
                    "evidence": [1],
                    "description": "Regular circles build trust step by step.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Fewer than six circles are held, or every round stays at the "
                                "surface. Sequence prompts from low-risk to more meaningful over "
                                "the weeks."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "At least six proactive circles are documented, each with an "
                                "opening, rounds that move from low-risk to deeper prompts, and a "
                                "closing; in the video the educator takes part in rounds, honors "
                                "passes and upholds the agreements."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and at least one circle connects to academic "
                                "content or student goals, and participation notes show more "
                                "students speaking rather than passing in later circles than in "
                                "early ones."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Responsive circle",
                    "evidence": [3],
                    "description": "Harm is addressed with the people affected.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The account describes the incident but not yet how participants "
                                "were prepared or what agreement was reached. Use the restorative "
                                "questions and record the outcome."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The account shows individual preparation of participants, "
                                "restorative questions asked of each person affected, an agreement "
                                "made by the participants, and a follow-up check within a week."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the account reflects on the facilitator's "
                                "own choices (when to pause, how power was shared) and on how the "
                                "wider class community was affected."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Student voice and belonging",
                    "evidence": [2],
                    "description": "Students' experience of the circles shapes what comes next.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The belonging survey was given only once, or the results are not "
                                "yet used. Compare before and after and name a change you will "
                                "make."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Before and after survey results are reported for every item, the "
                                "educator interprets at least one change or lack of change, and "
                                "names one adjustment to circle practice in response."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students help interpret the results in a "
                                "circle, and their suggestions lead to a documented change."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "student-centered-coaching-cycles",
        "owner": "provider",
        "visibility": "public",
        "state": "published",
        "title": "Coaching Cycles with Student-Centered Goals",
        "summary": (
            "Run a coaching cycle that starts from what students need to learn rather than from "
            "what the teacher should fix. You set a student-learning goal with a teacher, plan "
            "from student work each week, co-teach, and measure growth at the end of the cycle."
        ),
        "competency": (
            "The instructional coach leads a four- to six-week coaching cycle anchored in a "
            "student-learning goal and uses student evidence to guide each coaching decision."
        ),
        "key_method": (
            "Student-centered coaching, as described by Diane Sweeney, moves the focus of coaching "
            "from changing the teacher to improving student learning. A cycle runs four to six "
            "weeks with one teacher or a small team. It begins with a goal written as what "
            "students will learn, turned into student-friendly learning targets and a "
            "pre-assessment. Each week the coach and teacher plan together, sort recent student "
            "work against the targets, and co-teach using moves such as modeling, side-by-side "
            "coaching and teaching in tandem. The cycle ends with a post-assessment that shows "
            "growth for the class and for individual students, and a conversation about which "
            "teaching practices contributed to it. Jim Knight's Impact Cycle follows a similar "
            "identify, learn, improve sequence; both treat the teacher as a partner and student "
            "evidence as the measure of success."
        ),
        "audiences": ["coach"],
        "subject": "all",
        "grade_band": "pk-12",
        "estimated_hours": "30",
        "credit_hours": "3",
        "targets": [
            (
                "I can partner with a teacher to set a student-learning goal and break it into "
                "learning targets with a matching pre-assessment."
            ),
            (
                "I can co-plan with a teacher using student work sorted by learning target to "
                "decide the next instructional moves."
            ),
            (
                "I can co-teach using modeling, side-by-side coaching or teaching in tandem to "
                "support the teacher's practice."
            ),
            (
                "I can measure and report student growth at the end of the cycle and help the "
                "teacher reflect on what contributed to it."
            ),
        ],
        "standards": [
            {
                "framework": "Learning Forward Standards for Professional Learning (2022)",
                "code": "Implementation",
                "name": (
                    "Educators apply research on change, engage in feedback processes, and "
                    "implement and sustain professional learning."
                ),
                "url": "https://learningforward.org/standards-for-professional-learning/",
            },
            {
                "framework": "Learning Forward Standards for Professional Learning (2022)",
                "code": "Evidence",
                "name": (
                    "Educators build capacity to use evidence, data and research from multiple "
                    "sources to plan learning and to measure its impact."
                ),
                "url": "https://learningforward.org/standards-for-professional-learning/",
            },
        ],
        "resources": [
            {
                "title": "Instructional Coaching Group (Jim Knight)",
                "url": "https://www.instructionalcoaching.com/",
                "description": (
                    "Articles, tools and videos on the Impact Cycle and partnership principles for "
                    "coaching."
                ),
            },
            {
                "title": "Learning Forward: Standards for Professional Learning",
                "url": "https://learningforward.org/standards-for-professional-learning/",
                "description": (
                    "The standards that describe professional learning which improves results for "
                    "students, including coaching as a learning design."
                ),
            },
            {
                "title": "Learning Forward",
                "url": "https://learningforward.org/",
                "description": (
                    "The professional association for leaders of professional learning; its "
                    "journal, The Learning Professional, regularly covers coaching."
                ),
            },
        ],
        "task_title": "Lead a four- to six-week student-centered coaching cycle",
        "task": (
            "Partner with a teacher, or a team of two or three teachers, who wants to work on a "
            "specific student-learning need. In the first planning conversation, agree on a goal "
            "stated as what students will learn, break it into two to four student-friendly "
            "learning targets, and give a short pre-assessment. Sort the pre-assessment results by "
            "target together.\n\n"
            "Meet weekly to plan for four to six weeks. At each meeting, look at recent student "
            "work sorted by the targets, decide what to teach next and to whom, and agree on the "
            "coaching move you will use in class that week: modeling a lesson segment, "
            "side-by-side coaching, or teaching in tandem. Spend at least one class period a week "
            "in the teacher's room, and keep a coaching log throughout.\n\n"
            "At the end of the cycle, give a post-assessment matched to the pre-assessment, chart "
            "growth for the class and for two or more focus students, and hold a reflection "
            "conversation in which the teacher names the practices that helped students most."
        ),
        "pre_reflection": [
            (
                "How do your coaching cycles usually begin, and whose goal is at the center: the "
                "teacher's, the school's, or the students'?"
            ),
            "How do you currently know whether your coaching made a difference for students?",
        ],
        "post_reflection": [
            "What growth did students show on each learning target, and what contributed to it?",
            "How did planning from student work change your conversations with the teacher?",
            "What would you do differently in the first week of your next cycle?",
        ],
        "evidence": [
            {
                "title": "Coaching log and planning notes",
                "kind": "document",
                "min_count": 1,
                "max_count": 6,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The goal and learning targets, your coaching log, and notes from each weekly "
                    "planning meeting."
                ),
                "look_fors": (
                    "A goal about student learning; sorted student work at each meeting; a planned "
                    "coaching move each week."
                ),
                "consent": False,
            },
            {
                "title": "Co-teaching segment",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 15,
                "max_words": None,
                "description": (
                    "Up to 15 minutes of you and the teacher working with students during the "
                    "cycle, recorded with the teacher's permission."
                ),
                "look_fors": (
                    "A coaching move planned in advance; coach and teacher both working with "
                    "students."
                ),
                "consent": True,
            },
            {
                "title": "Pre- and post-assessment results",
                "kind": "student_work",
                "min_count": 2,
                "max_count": 6,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The pre- and post-assessment, a chart of class results by target, and both "
                    "assessments from at least two focus students, names removed."
                ),
                "look_fors": (
                    "Matched assessments; growth shown by target and for individual students."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": 3,
            "sections": [
                {
                    "name": "Student-learning goal",
                    "evidence": [1],
                    "description": "The cycle is anchored in what students will learn.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The goal describes what the teacher will do ('use more small "
                                "groups') rather than what students will learn, or no "
                                "pre-assessment was given. Rewrite the goal as 'Students will be "
                                "able to...'."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The goal states what students will learn, is broken into two to "
                                "four student-friendly learning targets, and a pre-assessment "
                                "aligned to the targets was given and sorted by target with the "
                                "teacher."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the teacher co-wrote the goal and targets, "
                                "and the pre-assessment sort names specific groups of students and "
                                "what each needs."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Planning from student evidence",
                    "evidence": [1],
                    "description": "Weekly decisions come from student work.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Planning notes describe activities without reference to student "
                                "work. Bring sorted work to each meeting and decide next steps "
                                "from it."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Notes from at least four weekly planning meetings show student "
                                "work sorted by target and at least one instructional decision per "
                                "meeting made from that evidence."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the notes show the teacher increasingly "
                                "leading the sort and the decisions as the cycle goes on."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Coaching moves in the classroom",
                    "evidence": [2],
                    "description": "The coach teaches alongside the teacher.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The coach observes or assists but is not yet teaching alongside "
                                "the teacher. Plan a specific move (modeling, side-by-side or "
                                "tandem) with the teacher before class."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The log shows at least one classroom session a week with a "
                                "planned coaching move, and the video shows coach and teacher "
                                "working with students in the way they agreed beforehand."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the log and video show a gradual release "
                                "across the cycle, with the coach modeling early on and the "
                                "teacher leading later with in-the-moment support."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Measuring growth",
                    "evidence": [3],
                    "description": "Growth is measured against the starting point.",
                    "targets": [4],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Post-assessment results are missing or not yet compared with the "
                                "pre-assessment. Give a matching post-assessment and chart growth "
                                "by target."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Pre- and post-assessment results are charted by target for the "
                                "class and for at least two focus students, and the reflection "
                                "names at least one teaching practice the teacher will keep, based "
                                "on the evidence."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and growth is analyzed for the students who "
                                "started furthest from the targets, with next steps planned for "
                                "students who have not yet met them."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "leading-a-plc",
        "owner": "state",
        "visibility": "public",
        "state": "published",
        "title": "Leading a Professional Learning Community",
        # A leader who runs PLCs first shows she can give teachers feedback from observation.
        "prerequisites": ["observation-feedback-cycles"],
        "summary": (
            "Build teacher teams that work on four questions: what students should learn, how the "
            "team will know, and what to do when students have or have not learned it. You set up "
            "team structures, lead two teams through a full cycle around a common formative "
            "assessment, and give teams feedback based on student evidence."
        ),
        "competency": (
            "The school leader establishes and sustains collaborative teacher teams that use "
            "common formative assessments to improve student learning."
        ),
        "key_method": (
            "In a professional learning community, as Richard DuFour and colleagues define it, "
            "educators work in recurring cycles of collective inquiry and action research to get "
            "better results for the students they serve. Teams organize their work around four "
            "critical questions: What do we want students to learn? How will we know if they have "
            "learned it? How will we respond when some students do not learn? How will we extend "
            "learning for students who are already proficient? The leader protects regular "
            "collaborative time, helps teams agree on norms and essential standards, supports the "
            "design of common formative assessments, and keeps teams focused on results without "
            "turning the PLC into paperwork. Learning Forward's standards describe the same work "
            "as a culture of collaborative inquiry in which educators share responsibility for "
            "every student."
        ),
        "audiences": ["school-leader"],
        "subject": "leadership",
        "grade_band": "pk-12",
        "estimated_hours": "30",
        "credit_hours": "3",
        "targets": [
            (
                "I can establish the structures a PLC team needs: protected collaborative time, "
                "norms, roles and a shared focus on the four critical questions."
            ),
            (
                "I can guide a team to identify essential standards and design a common formative "
                "assessment."
            ),
            (
                "I can support a team to analyze common assessment results and plan intervention "
                "and extension for specific students."
            ),
            (
                "I can monitor the work of teams with student evidence and give feedback that "
                "strengthens their collaboration."
            ),
        ],
        "standards": [
            {
                "framework": "Professional Standards for Educational Leaders (PSEL 2015)",
                "code": "7(a)",
                "name": (
                    "Professional Community for Teachers and Staff: develop workplace conditions "
                    "for teachers and other professional staff that promote effective professional "
                    "development, practice, and student learning."
                ),
                "url": "https://www.npbea.org/",
            },
            {
                "framework": "Professional Standards for Educational Leaders (PSEL 2015)",
                "code": "7(g)",
                "name": (
                    "Professional Community for Teachers and Staff: provide opportunities for "
                    "collaborative examination of practice, collegial feedback, and collective "
                    "learning."
                ),
                "url": "https://www.npbea.org/",
            },
            {
                "framework": "Learning Forward Standards for Professional Learning (2022)",
                "code": "Culture of Collaborative Inquiry",
                "name": (
                    "Educators engage in continuous improvement, build collaboration skills and "
                    "capacity, and share responsibility for improving learning for all students."
                ),
                "url": "https://learningforward.org/standards-for-professional-learning/",
            },
        ],
        "resources": [
            {
                "title": "AllThingsPLC",
                "url": "https://allthingsplc.info/",
                "description": (
                    "The PLC at Work site, with articles on the four critical questions and "
                    "stories from schools that use them."
                ),
            },
            {
                "title": "AllThingsPLC: Tools and Resources",
                "url": "https://allthingsplc.info/tools-resources/",
                "description": (
                    "Free templates for team norms, SMART goals, essential standards and common "
                    "assessment analysis."
                ),
            },
            {
                "title": "Learning Forward: Standards for Professional Learning",
                "url": "https://learningforward.org/standards-for-professional-learning/",
                "description": (
                    "The Culture of Collaborative Inquiry and Leadership standards describe the "
                    "conditions leaders create for team learning."
                ),
            },
        ],
        "task_title": "Lead two teams through one full PLC cycle",
        "task": (
            "Work with at least two teacher teams in your school. With each team, confirm "
            "collaborative time in the master schedule (at least 45 minutes a week), set or "
            "revisit team norms, assign roles, and agree on a SMART goal stated in terms of "
            "student learning.\n\n"
            "Guide each team through one full cycle around a unit of instruction. The team "
            "identifies two to four essential standards, writes or revises a common formative "
            "assessment with scoring criteria agreed in advance, gives the assessment, and brings "
            "the results to a meeting. There the team analyzes results by standard and by student, "
            "and plans intervention for students who have not yet learned and extension for "
            "students who have.\n\n"
            "Attend at least three meetings of each team during the cycle. After at least one "
            "meeting, give each team written feedback organized around the four critical "
            "questions. After the intervention, have the team reassess the students who received "
            "it, and record one team meeting on video with every participant's permission."
        ),
        "pre_reflection": [
            (
                "How do teacher teams in your school use their collaborative time now? What "
                "evidence tells you whether that time improves student learning?"
            ),
            (
                "Which of the four critical questions do your teams answer well, and which do they "
                "tend to skip?"
            ),
        ],
        "post_reflection": [
            (
                "What did the common assessment results show, and what did each team do for "
                "students who had not yet learned?"
            ),
            "How did your feedback change the way each team worked? Give one example.",
            (
                "What school-level condition (time, schedule, resources, expectations) still "
                "limits your teams, and what will you do about it?"
            ),
        ],
        "evidence": [
            {
                "title": "Team structures and products",
                "kind": "document",
                "min_count": 2,
                "max_count": 6,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "For each team: the meeting schedule, norms, SMART goal, essential standards, "
                    "the common formative assessment with scoring criteria, and notes from the "
                    "analysis meeting."
                ),
                "look_fors": (
                    "Structures in place for both teams; assessments aligned to essential "
                    "standards; plans that name students."
                ),
                "consent": False,
            },
            {
                "title": "Team meeting",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 20,
                "max_words": None,
                "description": (
                    "Up to 20 minutes of a team analyzing common assessment results, recorded with "
                    "every participant's permission. Student names must not be visible or audible."
                ),
                "look_fors": (
                    "The team analyzes by standard and by student and plans a response; the "
                    "leader's role is visible."
                ),
                "consent": True,
            },
            {
                "title": "Leadership reflection",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 800,
                "description": (
                    "The feedback you gave each team, how the teams responded, the reassessment "
                    "results, and what you will change as a leader."
                ),
                "look_fors": "Claims supported by team products and student results.",
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Collaborative structures",
                    "evidence": [1],
                    "description": "Teams have time, norms, roles and a student-learning goal.",
                    "targets": [1],
                    "levels": [
                        [
                            "Beginning",
                            (
                                "Teams meet irregularly or without norms, roles or a shared goal. "
                                "Start by protecting weekly time and co-creating norms with each "
                                "team."
                            ),
                        ],
                        [
                            "Developing",
                            (
                                "Collaborative time and norms are in place, but team goals are not "
                                "yet stated in terms of student learning, or one of the two teams "
                                "lacks them."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Both teams have at least 45 minutes of weekly collaborative time "
                                "in the schedule, written norms, assigned roles, and a SMART goal "
                                "stated in terms of student learning."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and teams review their norms at least once "
                                "during the cycle and can show how they handled a norm being "
                                "broken."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Essential standards and common assessment",
                    "evidence": [1],
                    "description": "Teams agree on what matters most and how they will know.",
                    "targets": [2],
                    "levels": [
                        [
                            "Beginning",
                            (
                                "Teams use a published test or individual teachers' quizzes, so "
                                "results cannot be compared across classrooms. Guide the team to "
                                "agree on what matters most and to write a common check."
                            ),
                        ],
                        [
                            "Developing",
                            (
                                "Essential standards are named, but the common assessment does not "
                                "yet align to all of them or lacks agreed scoring criteria."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Each team names two to four essential standards for the unit and "
                                "has a common formative assessment aligned to each, with scoring "
                                "criteria agreed before it is given."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and teams calibrate their scoring by scoring a "
                                "set of student work together before analyzing results."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Responding to results",
                    "evidence": [2],
                    "description": "Results lead to action for specific students.",
                    "targets": [3],
                    "levels": [
                        [
                            "Beginning",
                            (
                                "Results are shared as class averages, and no specific response is "
                                "planned for students. Guide the team to look by standard and by "
                                "student."
                            ),
                        ],
                        [
                            "Developing",
                            (
                                "Results are analyzed by standard, but plans for intervention or "
                                "extension are not yet tied to named students, or there is no "
                                "reassessment."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The video and notes show the team analyzing results by standard "
                                "and by student, planning intervention for students who did not "
                                "meet a standard and extension for those who did, and reassessing "
                                "the students who received intervention."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and teachers compare practices across "
                                "classrooms based on results (whose students did best on a "
                                "standard, and what that teacher did) and adopt a practice as a "
                                "team."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Leader monitoring and feedback",
                    "evidence": [3],
                    "description": "The leader supports teams with evidence-based feedback.",
                    "targets": [4],
                    "levels": [
                        [
                            "Beginning",
                            (
                                "The leader's role in team meetings is not yet described, or no "
                                "feedback to teams is documented. Attend meetings and give written "
                                "feedback tied to the four questions."
                            ),
                        ],
                        [
                            "Developing",
                            (
                                "The leader attends meetings, but feedback is general or about "
                                "compliance (whether minutes were submitted) rather than about "
                                "student evidence."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The leader attended at least three meetings of each team, gave "
                                "each team written feedback tied to the four critical questions "
                                "and to student evidence, and the reflection describes how each "
                                "team responded."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the reflection names a school-level change "
                                "the leader made (schedule, resources or support) because of what "
                                "the teams' work revealed."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "pbl-entry-event",
        "owner": "north",
        "visibility": "public",
        "state": "in_review",
        "title": "Project-Based Learning Launch with an Entry Event",
        "summary": (
            "Start a project with an entry event that hooks students and leads them to ask the "
            "questions the project will answer. You write a driving question, design and run the "
            "launch, and use students' need-to-know questions to plan the first weeks of the "
            "project."
        ),
        "competency": (
            "The educator launches a project with an entry event and driving question that spark "
            "inquiry and produce a need-to-know list that shapes the project."
        ),
        "key_method": (
            "PBLWorks' Gold Standard Project Design names seven essential elements: a challenging "
            "problem or question, sustained inquiry, authenticity, student voice and choice, "
            "reflection, critique and revision, and a public product. The launch sets all of them "
            "in motion. An entry event, such as a guest who is affected by the problem, a puzzling "
            "artifact or data set, a short simulation or a request from a real client, creates "
            "interest and a reason to learn. A driving question written in student-friendly "
            "language frames the project ('How can we cut food waste in our cafeteria?'). Right "
            "after the entry event, students generate a need-to-know list of questions about "
            "content, process and product. The teacher uses the list to plan lessons and "
            "scaffolds, and the class returns to it throughout the project to see what has been "
            "answered and what new questions have come up."
        ),
        "audiences": ["teacher"],
        "subject": "all",
        "grade_band": "6-12",
        "estimated_hours": "18",
        "credit_hours": "2",
        "targets": [
            (
                "I can write a driving question that is open-ended, engaging to my students and "
                "aligned to the project's learning goals."
            ),
            (
                "I can design and facilitate an entry event that connects students to an authentic "
                "problem and sparks their questions."
            ),
            (
                "I can lead students to build a need-to-know list and use it to plan instruction "
                "for the first phase of the project."
            ),
        ],
        "standards": [
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "5(a)",
                "name": (
                    "Application of Content: the teacher develops and implements projects that "
                    "guide learners in analyzing the complexities of an issue or question using "
                    "perspectives from varied disciplines and cross-disciplinary skills."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "Common Core State Standards, ELA/Literacy",
                "code": "CCRA.W.7",
                "name": (
                    "Conduct short as well as more sustained research projects based on focused "
                    "questions, demonstrating understanding of the subject under investigation."
                ),
                "url": "https://www.thecorestandards.org/ELA-Literacy/CCRA/W/",
            },
        ],
        "resources": [
            {
                "title": "Gold Standard PBL: Essential Project Design Elements (PBLWorks)",
                "url": "https://www.pblworks.org/what-is-pbl/gold-standard-project-design",
                "description": (
                    "The seven design elements, with what each looks like in a strong project."
                ),
            },
            {
                "title": "What Is PBL? (PBLWorks)",
                "url": "https://www.pblworks.org/what-is-pbl",
                "description": (
                    "An introduction to project-based learning and how it differs from 'doing a "
                    "project' at the end of a unit."
                ),
            },
            {
                "title": "Edutopia: Project-Based Learning",
                "url": "https://www.edutopia.org/topic/project-based-learning",
                "description": (
                    "Classroom videos and teacher articles on project launches, entry events and "
                    "driving questions."
                ),
            },
        ],
        "task_title": "Design and run a project launch",
        "task": (
            "Choose a project you will teach this semester that lasts at least two weeks and ends "
            "in a public product. Write the project's learning goals (content standards and "
            "success skills such as collaboration), a driving question, and a one-page project "
            "overview. Try the driving question out on two or three students or colleagues and "
            "revise it.\n\n"
            "Design an entry event that puts students in contact with the real problem behind the "
            "project: a visit from someone affected by it, an artifact or data set that does not "
            "make sense yet, a short simulation, or a request from a client. Plan how you will "
            "move from the entry event to the driving question and then to a need-to-know list, "
            "using a protocol that ensures every student contributes questions (for example, "
            "individual sticky notes before a small-group sort).\n\n"
            "Launch the project and video-record the entry event and the need-to-know discussion. "
            "Afterward, sort the student questions into content, process and product questions, "
            "and plan the first week of lessons and scaffolds from them. Revisit the list with "
            "students at least once in the first two weeks and record what was answered and what "
            "was added."
        ),
        "pre_reflection": [
            (
                "How do you usually introduce a new unit or project? What do students do in the "
                "first twenty minutes?"
            ),
            "Think of a project that did not take off. What was missing at the start?",
        ],
        "post_reflection": [
            "Which student questions surprised you, and how did they change your plan?",
            (
                "How did students' engagement during the launch compare with how your units "
                "usually begin? What evidence do you have?"
            ),
        ],
        "evidence": [
            {
                "title": "Project plan, launch design and first-week plan",
                "kind": "document",
                "min_count": 2,
                "max_count": 4,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The project overview with learning goals and driving question (showing a "
                    "revision), the entry event plan, and the first-week plan that maps lessons to "
                    "student questions."
                ),
                "look_fors": (
                    "A driving question that requires the target content; a launch plan with a "
                    "protocol for student questions; lessons linked to specific questions."
                ),
                "consent": False,
            },
            {
                "title": "Project launch",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 20,
                "max_words": None,
                "description": (
                    "Up to 20 minutes covering the entry event and the need-to-know discussion."
                ),
                "look_fors": (
                    "Students meeting a real problem, the driving question introduced, and every "
                    "student contributing questions."
                ),
                "consent": True,
            },
            {
                "title": "Need-to-know list",
                "kind": "image",
                "min_count": 2,
                "max_count": 4,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Photos of the need-to-know list at the launch and when you revisited it, with "
                    "no student faces visible."
                ),
                "look_fors": (
                    "Questions sorted into content, process and product; visible updates on the "
                    "second photo."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Driving question",
                    "evidence": [1],
                    "description": "The question is open, engaging and tied to the learning goals.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The question can be answered with a quick search or has a single "
                                "correct answer, or it is not yet connected to the learning goals. "
                                "Revise it so students need the target content to answer it."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The driving question is open-ended, written in language students "
                                "understand, requires the project's target content to answer, and "
                                "the plan shows it was tried out with students or colleagues and "
                                "revised."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the question connects to a local, authentic "
                                "audience or client, and students' first reactions in the video "
                                "show they see it as worth answering."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Entry event",
                    "evidence": [1, 2],
                    "description": "Students meet the problem before they hear the requirements.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The launch is an explanation of the project and its requirements, "
                                "so students do not yet meet the problem for themselves. Design an "
                                "experience that makes them curious first."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The video shows an entry event that connects to a real problem, "
                                "takes no more than about 20 minutes, and leads directly into the "
                                "driving question; students are visibly engaged (asking questions, "
                                "talking with classmates, taking notes)."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the entry event involves a person or source "
                                "from outside the classroom (a client, community member, expert or "
                                "real data set), and students ask follow-up questions of that "
                                "source."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Need-to-know list and planning",
                    "evidence": [3],
                    "description": "Student questions shape the project.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Student questions are collected but not yet sorted or used in "
                                "planning. Sort them and show which lessons will answer which "
                                "questions."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Every student contributes at least one question; questions are "
                                "sorted into content, process and product; the first-week plan "
                                "maps lessons or scaffolds to specific student questions; and the "
                                "list is revisited with students at least once."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and student questions change the project plan "
                                "in a visible way (a new lesson, a changed product option, an "
                                "added expert), documented in the plan."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "writing-feedback",
        "owner": "north",
        "visibility": "public",
        "state": "published",
        "title": "Giving Feedback Students Use on Their Writing",
        "summary": (
            "Give students feedback on their drafts that they act on instead of filing away. Over "
            "two writing assignments you share success criteria, write focused comments on every "
            "draft, give class time to revise, and compare first and second drafts to see which "
            "feedback students used."
        ),
        "competency": (
            "The educator gives focused feedback on student drafts, tied to shared success "
            "criteria, and builds in time for students to act on it in revision."
        ),
        "key_method": (
            "Feedback is one of the strongest influences on learning, but its effects vary widely. "
            "Hattie and Timperley's review 'The Power of Feedback' (2007) found that feedback "
            "helps most when it answers three questions for the learner (Where am I going? How am "
            "I going? Where to next?) and is aimed at the task and the process rather than at the "
            "student as a person. For writing in particular, Graham, Harris and Hebert's "
            "meta-analysis for the Carnegie Corporation, 'Informing Writing' (2011), found that "
            "students' writing improved when teachers gave feedback on it, when peers did, and "
            "when students were taught to assess their own writing. The practical lessons are "
            "consistent: tie comments to a few success criteria students already know, comment on "
            "one or two priorities per draft rather than correcting every error, phrase each next "
            "step as something the writer can do, and, the step most often skipped, give class "
            "time for revision so the feedback is used while the piece is still open."
        ),
        "audiences": ["teacher"],
        "subject": "ela",
        "grade_band": "3-5",
        "estimated_hours": "18",
        "credit_hours": "2",
        "targets": [
            (
                "I can write success criteria for a writing assignment that students understand, "
                "and use them as the basis for my feedback."
            ),
            (
                "I can write feedback on a draft that names one strength and no more than two next "
                "steps the student can act on."
            ),
            (
                "I can build in time and a routine for students to revise with my feedback, and "
                "check which feedback they used."
            ),
        ],
        "standards": [
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "6(d)",
                "name": (
                    "Assessment: the teacher engages learners in understanding and identifying "
                    "quality work and provides them with effective descriptive feedback to guide "
                    "their progress toward that work."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "Common Core State Standards, ELA/Literacy",
                "code": "CCRA.W.5",
                "name": (
                    "Develop and strengthen writing as needed by planning, revising, editing, "
                    "rewriting, or trying a new approach."
                ),
                "url": "https://www.thecorestandards.org/ELA-Literacy/CCRA/W/",
            },
            {
                "framework": "Common Core State Standards, ELA/Literacy",
                "code": "W.4.5",
                "name": (
                    "With guidance and support from peers and adults, develop and strengthen "
                    "writing as needed by planning, revising, and editing."
                ),
                "url": "https://www.thecorestandards.org/ELA-Literacy/W/4/",
            },
        ],
        "resources": [
            {
                "title": (
                    "The Power of Feedback (Hattie and Timperley, Review of Educational Research)"
                ),
                "url": "https://doi.org/10.3102/003465430298487",
                "description": (
                    "The 2007 review behind the three feedback questions and the four levels of "
                    "feedback. Read the model section before you plan your comments."
                ),
            },
            {
                "title": "Informing Writing: The Benefits of Formative Assessment (ERIC)",
                "url": "https://eric.ed.gov/?id=ED537566",
                "description": (
                    "The record of Graham, Harris and Hebert's 2011 Carnegie Corporation report on "
                    "what research shows about teacher feedback, peer feedback and self-assessment "
                    "of student writing."
                ),
            },
            {
                "title": "National Writing Project",
                "url": "https://www.nwp.org/",
                "description": (
                    "A network of teachers of writing, with teacher-written resources on revision "
                    "and on responding to student drafts."
                ),
            },
        ],
        "task_title": "Give feedback on two writing assignments and see what students do with it",
        "task": (
            "Choose two writing assignments you will teach over the next four to six weeks, each "
            "of which students will draft and then revise. Before students start each one, write "
            "three to five success criteria in language your students understand (for example, 'My "
            "opinion is in my first paragraph' or 'Each reason has an example from the text'), and "
            "share them with a short model piece that meets them.\n\n"
            "When the first drafts come in, choose six focus students whose writing spans the "
            "range in your class. On every draft, write feedback that names one strength and no "
            "more than two next steps, each tied to a success criterion and phrased as something "
            "the student can do ('Add an example from the text that shows your second reason'). Do "
            "not correct every error: note patterns that many students share and teach them to the "
            "whole class in a short lesson instead.\n\n"
            "Within a few days, give students class time to read the feedback, tell a partner or "
            "write one sentence about what they will change, and revise. Use a routine that makes "
            "revision visible, such as a different colored pen, highlighting changed sentences, or "
            "a short revision note.\n\n"
            "Compare the six focus students' first and revised drafts. For each next step you "
            "gave, record whether the student used it, partly used it or did not, and what the "
            "change did to the writing. Before the second assignment, change one thing about your "
            "feedback based on what you found, then repeat. Remove student names from everything "
            "you submit."
        ),
        "pre_reflection": [
            (
                "How do you give feedback on student writing now: when, in what form, and how long "
                "does it take you? What do students do with it?"
            ),
            (
                "Think of a student who made the same kind of mistake in several pieces of "
                "writing. Why do you think your earlier feedback did not change it?"
            ),
        ],
        "post_reflection": [
            (
                "Which feedback did students act on, and which did they ignore? What was different "
                "about the two?"
            ),
            "What did you change before the second assignment, and what happened as a result?",
            "How will you keep time for revision in your writing lessons from now on?",
        ],
        "evidence": [
            {
                "title": "Success criteria, models and feedback priorities",
                "kind": "document",
                "min_count": 1,
                "max_count": 2,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "For each assignment: the success criteria as students saw them, the model "
                    "piece, and a short note of the priorities you planned to focus your feedback "
                    "on."
                ),
                "look_fors": (
                    "Criteria are few, specific and written for students; the model meets them; "
                    "the planned feedback priorities come from the criteria."
                ),
                "consent": False,
            },
            {
                "title": "Drafts with feedback and revisions",
                "kind": "student_work",
                "min_count": 6,
                "max_count": 12,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "For each focus student, one file with the first draft showing your feedback "
                    "and the revised draft, names removed: six for one assignment, and up to six "
                    "more for the other."
                ),
                "look_fors": (
                    "Feedback names a strength and at most two next steps tied to criteria; "
                    "revisions are visible and match what the analysis reports."
                ),
                "consent": False,
            },
            {
                "title": "Feedback and revision analysis",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 700,
                "description": (
                    "For the six focus students: each next step you gave, whether it was used, "
                    "partly used or not, and the effect on the writing; what you changed before "
                    "the second assignment and what happened."
                ),
                "look_fors": (
                    "Claims about revision are backed by the drafts; the change to the feedback "
                    "follows from the first assignment's results."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Success criteria",
                    "evidence": [1],
                    "description": (
                        "Students know what a strong piece looks like before they draft."
                    ),
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The criteria are missing, are a general checklist ('use good "
                                "grammar'), or are written in language students would not use. "
                                "Write three to five criteria specific to this assignment and show "
                                "them met in a model."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Each assignment has three to five specific success criteria "
                                "written for students and shared with a model that meets them; the "
                                "planned feedback priorities come from the criteria."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students helped shape or explain the "
                                "criteria (for example by comparing a strong and a weak model), so "
                                "the criteria are theirs as well as the teacher's."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Focused, actionable feedback",
                    "evidence": [2],
                    "description": "Comments tell the writer where they are and what to do next.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Feedback is mostly corrections, praise without detail ('Nice "
                                "job!') or a grade, or it lists many next steps at once. Name one "
                                "strength and no more than two next steps tied to the criteria."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "On all six focus drafts, feedback names a specific strength and "
                                "no more than two next steps, each tied to a success criterion and "
                                "phrased as something the student can do."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the next steps differ by student according "
                                "to where each draft is, including a stretch step for students who "
                                "already meet the criteria."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Revision with feedback",
                    "evidence": [2, 3],
                    "description": "Students have the time and a routine to use the feedback.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Drafts are returned without class time to revise, or the revised "
                                "drafts do not show what changed. Plan revision time within a few "
                                "days and a routine that makes changes visible."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Students revised in class within a few days of getting feedback, "
                                "using a routine that makes changes visible; the analysis records "
                                "for each focus student which next steps were used, partly used or "
                                "not."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students also gave each other or themselves "
                                "feedback against the same criteria, and the analysis shows how "
                                "that affected their revisions."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Learning from uptake",
                    "evidence": [3],
                    "description": (
                        "The educator changes the feedback because of what students used."
                    ),
                    "targets": [2, 3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The analysis describes the feedback but not yet which of it "
                                "students used, or the second assignment repeats the first "
                                "unchanged. Use the first drafts and revisions to decide what to "
                                "change."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The analysis identifies which kinds of feedback students used and "
                                "which they did not, names one change to the feedback for the "
                                "second assignment, and reports what happened."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the analysis follows the students whose "
                                "revisions changed least, proposes a next step for them, and "
                                "considers the time the feedback took against its effect."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "routines-for-learning-time",
        "owner": "state",
        "visibility": "public",
        "state": "published",
        "title": "Classroom Routines That Protect Learning Time",
        "summary": (
            "Find where class time leaks away (starting the lesson, transitions, materials, "
            "packing up) and win it back with routines students can run themselves. You time your "
            "lessons, teach and practice three routines, and time them again to show the minutes "
            "returned to learning."
        ),
        "competency": (
            "The educator designs, explicitly teaches and maintains classroom routines that cut "
            "lost instructional time and keep students engaged in learning."
        ),
        "key_method": (
            "Research on instructional time distinguishes the time allocated to a lesson from the "
            "time students actually spend engaged in learning, and the gap between the two is "
            "often large. Classroom management research explains much of it. Kounin's 1970 study "
            "of videotaped elementary classrooms found that the teachers with the fewest "
            "disruptions stood out less for how they responded to misbehavior than for how they "
            "prevented it: awareness of the whole room ('withitness') and smooth, brisk "
            "transitions that kept the lesson moving. Emmer, Evertson and Anderson's 1980 study of "
            "third-grade classrooms found that effective managers planned procedures for routine "
            "tasks before the year began and taught them in the first weeks as carefully as "
            "academic content: explaining, modeling, rehearsing and giving feedback, then "
            "reviewing them when they slipped. A routine works when every student knows the cue "
            "that starts it, the steps and what 'done' looks like, and when the teacher treats a "
            "slipping routine as something to reteach rather than to punish."
        ),
        "audiences": ["teacher"],
        "subject": "all",
        "grade_band": "pk-12",
        "estimated_hours": "15",
        "credit_hours": "1.5",
        "targets": [
            (
                "I can measure how much lesson time is lost to non-instructional tasks and choose "
                "the routines that would recover the most of it."
            ),
            (
                "I can design a routine with a clear cue, a few concrete steps and a standard for "
                "done, and teach it by explaining, modeling and having students practice it."
            ),
            (
                "I can maintain routines with specific feedback and quick reteaching, and show how "
                "much learning time they return."
            ),
        ],
        "standards": [
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "3(d)",
                "name": (
                    "Learning Environments: the teacher manages the learning environment to "
                    "actively and equitably engage learners by organizing, allocating, and "
                    "coordinating the resources of time, space, and learners' attention."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "3(k)",
                "name": (
                    "Learning Environments: the teacher knows how to collaborate with learners to "
                    "establish and monitor elements of a safe and productive learning environment "
                    "including norms, expectations, routines, and organizational structures."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "Center on PBIS",
                "url": "https://www.pbis.org/",
                "description": (
                    "The national center on positive behavioral interventions and supports, with "
                    "guidance on teaching classroom expectations and routines."
                ),
            },
            {
                "title": "IRIS Center (Vanderbilt University)",
                "url": "https://iris.peabody.vanderbilt.edu/",
                "description": (
                    "Free online modules, including modules on classroom behavior management and "
                    "on establishing rules and procedures."
                ),
            },
            {
                "title": "Edutopia: Classroom Management",
                "url": "https://www.edutopia.org/topic/classroom-management",
                "description": (
                    "Teacher articles and classroom videos showing entry, transition and materials "
                    "routines in action."
                ),
            },
        ],
        "task_title": "Find the lost minutes, then teach three routines to win them back",
        "task": (
            "Video-record two typical lessons, or ask a colleague to time them. With a timer and a "
            "simple log, note every stretch when students are not engaged in learning: waiting for "
            "the lesson to start, moving between activities, handing out and collecting materials, "
            "getting into groups, packing up. Total the minutes for each kind of task.\n\n"
            "Choose the three routines that cost the most time or matter most for your students' "
            "learning. Write each one down: the cue that starts it, the few steps students take in "
            "order, how long it should take, and what 'done' looks like. Keep the steps concrete "
            "enough that a visitor could check them.\n\n"
            "Teach each routine explicitly in one lesson. Explain why it matters, model it, have "
            "students rehearse it while you give specific feedback, and practice again until the "
            "class meets the standard. For younger students, post the steps with pictures; with "
            "older students, ask them to help refine the routine.\n\n"
            "Use the routines every day for at least three weeks. Name what students do well, and "
            "when a routine slips, stop and reteach it briefly rather than repeating reminders or "
            "handing out consequences. Then time two comparable lessons again and compare the "
            "minutes lost with your first log."
        ),
        "pre_reflection": [
            (
                "Where in a typical lesson do you feel time slipping away? Estimate how many "
                "minutes a day it costs your students."
            ),
            "Which routines do your students already run well, and how did they learn them?",
        ],
        "post_reflection": [
            (
                "How many minutes did the routines return to learning, and what did students do "
                "with that time?"
            ),
            (
                "Which routine needed reteaching, and what did the reteaching involve? What will "
                "you teach differently in the first weeks of next year?"
            ),
        ],
        "evidence": [
            {
                "title": "Time logs and routine designs",
                "kind": "document",
                "min_count": 2,
                "max_count": 4,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "Your first and follow-up time logs, with the minutes lost for each kind of "
                    "task, and the written design of each of the three routines (cue, steps, "
                    "expected time, what done looks like)."
                ),
                "look_fors": (
                    "Logs record measured times, not estimates; the routines chosen follow from "
                    "the logs; each design is short, concrete and observable."
                ),
                "consent": False,
            },
            {
                "title": "Routines in action",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 10,
                "max_words": None,
                "description": (
                    "Up to 10 minutes, recorded at least two weeks after you taught them, showing "
                    "all three routines in use, with a note of where each one starts in the video."
                ),
                "look_fors": (
                    "Students respond to the cue and complete the steps with little teacher talk; "
                    "the teacher watches the whole room and gives specific feedback."
                ),
                "consent": True,
            },
            {
                "title": "Learning time analysis",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 600,
                "description": (
                    "Minutes lost before and after, by routine; what students did with the time "
                    "recovered; one routine that slipped and how you retaught it."
                ),
                "look_fors": (
                    "Before and after figures come from the logs; the account of reteaching is "
                    "specific."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Finding lost time",
                    "evidence": [1],
                    "description": (
                        "The educator measures where time goes before choosing routines."
                    ),
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The log is an estimate or covers only part of the lessons, or the "
                                "routines chosen do not follow from it. Time two whole lessons and "
                                "total the minutes for each kind of task."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Two lessons are timed from start to finish, minutes lost are "
                                "totaled by kind of task, and the three routines chosen address "
                                "the largest losses or a stated priority for students."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the log also notes which students lose the "
                                "most time (for example, those who finish early or arrive late), "
                                "and the routine designs account for them."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Designing and teaching routines",
                    "evidence": [1, 2],
                    "description": "Each routine is clear and taught like content.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Routines are described in general terms ('students transition "
                                "quietly') or were announced rather than taught. Write the cue and "
                                "steps, then model and rehearse them with students."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Each routine has a cue, a few concrete steps, an expected time "
                                "and a standard for done, and was taught by explaining, modeling "
                                "and rehearsing with feedback until students met the standard."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students helped design or refine at least "
                                "one routine, or the routines are adapted for students who need "
                                "more support, without losing the shared steps."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Routines in practice",
                    "evidence": [2],
                    "description": "Students run the routines with little teacher direction.",
                    "targets": [2, 3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "In the video, students wait for repeated directions, or most of "
                                "the teacher's talk during the routines is reminders. Reteach the "
                                "steps and practice them before recording again."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The video shows all three routines started by their cue and "
                                "carried out by most students with few prompts, while the teacher "
                                "watches the whole room and gives specific feedback."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and students run at least one routine without "
                                "any teacher prompt (for example, starting the warm-up on entry), "
                                "and redirect each other respectfully when needed."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Time returned to learning",
                    "evidence": [3],
                    "description": (
                        "The educator shows the effect of the routines and keeps them going."
                    ),
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The analysis says the routines helped but gives no before and "
                                "after figures, or does not say how a slipping routine was "
                                "handled. Use both logs and describe one reteach."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The analysis compares minutes lost before and after for each "
                                "routine, says how the recovered time was used for learning, and "
                                "describes how one routine was retaught when it slipped."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the educator sets out a plan for teaching "
                                "and reviewing the routines at the start of the next year or term, "
                                "including when to review them after breaks."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "retrieval-practice",
        "owner": "provider",
        "visibility": "public",
        "state": "published",
        "title": "Retrieval Practice in Daily Lessons",
        "summary": (
            "Have students pull what they have learned back out of memory, briefly and often, so "
            "they still know it weeks later. For four weeks you build low-stakes retrieval into "
            "your lessons, space it across earlier content, and compare what students remember of "
            "practiced and unpracticed material."
        ),
        "competency": (
            "The educator uses frequent, low-stakes retrieval practice, spaced over time and "
            "followed by feedback, to strengthen students' long-term memory of key content."
        ),
        "key_method": (
            "Retrieval practice means asking students to recall what they have learned rather than "
            "re-read or re-hear it. Research in cognitive psychology shows that the act of "
            "retrieving strengthens memory: in Roediger and Karpicke's 2006 experiments, students "
            "who took practice tests on a passage remembered much more of it a week later than "
            "students who studied it again, even though re-studying felt more effective to them. "
            "Dunlosky and colleagues' 2013 review of ten common learning techniques rated only two "
            "of them, practice testing and distributed (spaced) practice, as high utility. "
            "Classroom studies in middle school social studies and science by Roediger, McDaniel, "
            "Agarwal and colleagues found that brief, low-stakes quizzes in class improved later "
            "unit exam results on the quizzed material. Retrieval practice works best when every "
            "student answers, the stakes are low or none, students recall rather than only "
            "recognize, practice returns to content from earlier weeks as well as yesterday, and "
            "quick feedback corrects errors."
        ),
        "audiences": ["teacher"],
        "subject": "all",
        "grade_band": "pk-12",
        "estimated_hours": "12",
        "credit_hours": "1",
        "targets": [
            (
                "I can write short retrieval prompts that ask every student to recall key content "
                "from memory, including content from earlier weeks."
            ),
            (
                "I can build low-stakes retrieval practice into my lessons several times a week, "
                "spaced over time and followed by quick feedback."
            ),
            (
                "I can use a delayed check to compare how well students remember practiced and "
                "unpracticed content, and adjust my practice from the results."
            ),
        ],
        "standards": [
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "8(j)",
                "name": (
                    "Instructional Strategies: the teacher understands the cognitive processes "
                    "associated with various kinds of learning (e.g., critical and creative "
                    "thinking, problem framing and problem solving, invention, memorization and "
                    "recall) and how these processes can be stimulated."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "8(b)",
                "name": (
                    "Instructional Strategies: the teacher continuously monitors student learning, "
                    "engages learners in assessing their progress, and adjusts instruction in "
                    "response to student learning needs."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
        ],
        "resources": [
            {
                "title": "RetrievalPractice.org",
                "url": "https://www.retrievalpractice.org/",
                "description": (
                    "Research summaries, free guides and classroom strategies for retrieval "
                    "practice from cognitive scientist Pooja Agarwal."
                ),
            },
            {
                "title": "The Learning Scientists",
                "url": "https://www.learningscientists.org/",
                "description": (
                    "Cognitive psychologists' posters, blog posts and podcasts on six strategies "
                    "for effective learning, including retrieval practice and spaced practice, "
                    "written for teachers and students."
                ),
            },
            {
                "title": (
                    "Improving Students' Learning With Effective Learning Techniques (Dunlosky et "
                    "al.)"
                ),
                "url": "https://doi.org/10.1177/1529100612453266",
                "description": (
                    "The 2013 review that rates ten learning techniques. The sections on practice "
                    "testing and distributed practice explain when and why they work."
                ),
            },
        ],
        "task_title": "Four weeks of retrieval practice, with a fair comparison",
        "task": (
            "Choose four weeks of teaching. From the current unit and one or two earlier units, "
            "list 20 to 30 facts, concepts or procedures students need to remember. Split the list "
            "into two halves of similar difficulty: one half you will practice with retrieval, the "
            "other you will teach and review in your usual way. The comparison is what makes your "
            "evidence convincing; afterward, bring the other half into your retrieval routine "
            "too.\n\n"
            "At least three times a week, open or close a lesson with about five minutes of "
            "retrieval on the practiced half: a brain dump ('write everything you remember "
            "about...'), two or three short-answer questions, a labeled sketch, or, with younger "
            "students, answers on mini whiteboards or said to a partner. Mix in items from earlier "
            "weeks so that practice is spaced, not only yesterday's lesson. Keep it ungraded, make "
            "sure every student answers, and give the answers straight away so students check and "
            "correct their own.\n\n"
            "Keep a short log of each session: the date, the items, the format and roughly how "
            "many students answered each item correctly.\n\n"
            "At least a week after the last session, give an unannounced, ungraded check that "
            "covers both halves of the list equally. Compare results on practiced and unpracticed "
            "items, for the class and for the students who usually find the subject hardest. Share "
            "what you found with students and talk with them about why retrieving works better "
            "than re-reading."
        ),
        "pre_reflection": [
            (
                "How do your students review and study now, in class and at home? How well do they "
                "remember content from a unit a month after it ends?"
            ),
            (
                "When you quiz students, what is the quiz for: a grade, a check for you, or "
                "practice for them? How do students feel about quizzes?"
            ),
        ],
        "post_reflection": [
            (
                "How did students do on practiced and unpracticed items in the delayed check? What "
                "surprised you?"
            ),
            (
                "Which retrieval formats worked best with your students, and which took too long "
                "or let some students avoid answering?"
            ),
            "How will you keep spaced retrieval going in your teaching after this credential?",
        ],
        "evidence": [
            {
                "title": "Content list, prompts and practice log",
                "kind": "document",
                "min_count": 1,
                "max_count": 3,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The list of items split into practiced and unpracticed halves, the retrieval "
                    "prompts you used, the log of every session, and the delayed check."
                ),
                "look_fors": (
                    "Prompts ask for recall; the log shows at least three sessions a week over "
                    "four weeks, with items from earlier weeks mixed in; the check covers both "
                    "halves equally."
                ),
                "consent": False,
            },
            {
                "title": "Retrieval practice in a lesson",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 10,
                "max_words": None,
                "description": (
                    "Up to 10 minutes showing one retrieval session from the prompt to the "
                    "feedback, recorded in the third or fourth week."
                ),
                "look_fors": (
                    "Every student answers from memory before seeing the answers; the stakes are "
                    "low; feedback is quick and students correct their own answers."
                ),
                "consent": True,
            },
            {
                "title": "Retention comparison",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 600,
                "description": (
                    "The delayed check results for practiced and unpracticed items, for the class "
                    "and for the students who find the subject hardest, what you make of them, and "
                    "what you will change."
                ),
                "look_fors": (
                    "Results are reported for both halves; conclusions stay within what the "
                    "figures show; the change follows from the results."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Retrieval prompts",
                    "evidence": [1],
                    "description": "Prompts make students recall key content, old and new.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Prompts mostly ask students to recognize answers or copy from "
                                "notes, or cover only the latest lesson. Rewrite them so students "
                                "recall key content from memory, including earlier weeks."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Prompts target the items on the practiced list, ask students to "
                                "recall rather than only recognize, and regularly include content "
                                "from earlier weeks."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and some prompts ask students to connect or "
                                "apply what they recall (for example, explaining how two ideas "
                                "relate), not only restate it."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Practice routine",
                    "evidence": [1, 2],
                    "description": (
                        "Retrieval is frequent, spaced, low-stakes and followed by feedback."
                    ),
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Sessions are infrequent, graded, or answered by only some "
                                "students, or answers are not checked. Aim for three short "
                                "ungraded sessions a week in which everyone answers and checks."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The log shows at least three sessions a week for four weeks, with "
                                "earlier content mixed in; the video shows every student answering "
                                "from memory, low stakes and quick feedback."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the educator uses the session results to "
                                "decide which items return sooner, and students track their own "
                                "recall over the four weeks."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Measuring retention",
                    "evidence": [1, 3],
                    "description": "A delayed check compares practiced and unpracticed content.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "There is no delayed check, it was given right after practice, or "
                                "it covers only the practiced items. Give an unannounced check a "
                                "week or more later that covers both halves equally."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "An unannounced check at least a week after the last session "
                                "covers both halves equally, and results are reported for each "
                                "half for the class and for students who find the subject hardest."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the analysis looks at individual items (for "
                                "example, which practiced items were still forgotten) and suggests "
                                "why."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Using the results",
                    "evidence": [3],
                    "description": "The educator draws sound conclusions and changes practice.",
                    "targets": [2, 3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The reflection claims an effect the figures do not show, or names "
                                "no change to practice. Base conclusions on the comparison and "
                                "name what you will do next."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Conclusions follow from the comparison, including any surprises, "
                                "and the educator names a specific change, such as bringing the "
                                "unpracticed half into the routine."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the educator describes how students were "
                                "taught why retrieval works and what evidence shows some of them "
                                "now use it when they study on their own."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
    {
        "slug": "mentoring-a-new-teacher",
        "owner": "state",
        "visibility": "public",
        "state": "published",
        "title": "Mentoring a New Teacher",
        "summary": (
            "Support a teacher in their first or second year through a semester of regular, "
            "focused mentoring. You agree on a growth goal together, meet at least every two "
            "weeks, complete two observation cycles, look at student work together, and track the "
            "new teacher's growth."
        ),
        "competency": (
            "The educator mentors a beginning teacher through regular, goal-focused meetings, "
            "observation and analysis of student work that strengthen the new teacher's practice."
        ),
        "key_method": (
            "Research on induction links well-designed mentoring to better retention and practice "
            "among beginning teachers. Ingersoll and Strong's 2011 review of induction studies "
            "found that most reported positive effects on new teachers' commitment and retention, "
            "on their classroom practice and, in some studies, on student achievement. Smith and "
            "Ingersoll's 2004 analysis of national survey data found that a mentor in the same "
            "field and common planning time with colleagues were among the supports most strongly "
            "linked to new teachers staying. What mentor and new teacher do together matters. "
            "Effective mentoring is scheduled rather than 'ask me if you need anything'; it "
            "responds to what new teachers face at each stage of the year (Ellen Moir of the New "
            "Teacher Center described phases from anticipation through survival and "
            "disillusionment to rejuvenation and reflection); and it moves beyond emotional "
            "support and logistics to instruction: setting a growth goal, observing and being "
            "observed, and looking at student work together, so the new teacher builds the habit "
            "of analyzing their own practice."
        ),
        "audiences": ["teacher", "coach"],
        "subject": "all",
        "grade_band": "pk-12",
        "estimated_hours": "30",
        "credit_hours": "3",
        "targets": [
            (
                "I can build a trusting, regularly scheduled mentoring relationship and agree on a "
                "growth goal with a new teacher."
            ),
            (
                "I can lead an observation cycle in which the new teacher analyzes the evidence "
                "and chooses a next step."
            ),
            "I can guide a new teacher in analyzing student work to plan the next lesson.",
            (
                "I can adjust my mentoring as the new teacher's needs change and document their "
                "growth toward the goal."
            ),
        ],
        "standards": [
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "10(a)",
                "name": (
                    "Leadership and Collaboration: the teacher takes an active role on the "
                    "instructional team, giving and receiving feedback on practice, examining "
                    "learner work, analyzing data from multiple sources, and sharing "
                    "responsibility for decision making and accountability for each student's "
                    "learning."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "InTASC Model Core Teaching Standards",
                "code": "10(i)",
                "name": (
                    "Leadership and Collaboration: the teacher seeks appropriate opportunities to "
                    "model effective practice for colleagues, to lead professional learning "
                    "activities, and to serve in other leadership roles."
                ),
                "url": (
                    "https://ccsso.org/resource-library/intasc-model-core-teaching-standards-and-"
                    "learning-progressions-teachers-10"
                ),
            },
            {
                "framework": "Learning Forward Standards for Professional Learning (2022)",
                "code": "Implementation",
                "name": (
                    "Educators apply research on change, engage in feedback processes, and "
                    "implement and sustain professional learning."
                ),
                "url": "https://learningforward.org/standards-for-professional-learning/",
            },
        ],
        "resources": [
            {
                "title": "New Teacher Center",
                "url": "https://newteachercenter.org/",
                "description": (
                    "A national nonprofit that works on new-teacher induction and mentoring, with "
                    "research and resources for mentors."
                ),
            },
            {
                "title": "The Danielson Group",
                "url": "https://danielsongroup.org/",
                "description": (
                    "Home of the Framework for Teaching, which gives mentor and new teacher a "
                    "shared, evidence-based language for talking about a lesson."
                ),
            },
            {
                "title": "Learning Forward: Standards for Professional Learning",
                "url": "https://learningforward.org/standards-for-professional-learning/",
                "description": (
                    "The Implementation standard describes the sustained support and feedback that "
                    "help new learning become everyday practice."
                ),
            },
        ],
        "task_title": "Mentor a new teacher for a semester",
        "task": (
            "Work with a teacher in their first or second year, ideally in your subject or grade "
            "level; a new teacher you are already assigned to mentor is fine. Agree at the start "
            "that the mentoring is confidential and separate from evaluation. In the first "
            "meeting, learn about the teacher's students, strengths and worries, agree on one "
            "growth goal tied to student learning (for example, 'more of my students explain their "
            "reasoning in writing'), and set a schedule of meetings at least every two weeks for a "
            "semester, eight or more in all.\n\n"
            "Keep each meeting to 30 to 45 minutes with a short agenda the new teacher helps set. "
            "Leave room for what is urgent (a hard email from a family, next week's unit), but "
            "spend part of every meeting on the growth goal, and record what you discussed and "
            "agreed in a mentoring log.\n\n"
            "Complete two observation cycles around the goal. In at least one, observe the new "
            "teacher for 20 to 30 minutes with a focus agreed in advance and take low-inference "
            "notes; in the other, observe again or have the new teacher observe you teach a lesson "
            "planned around the goal. Debrief within two days, letting the new teacher analyze the "
            "evidence first and choose the next step. With the new teacher's written permission, "
            "video-record one debrief.\n\n"
            "At least twice, look at a set of student work together: sort it by what students "
            "understood and plan the next lesson from it. At the end of the semester, review the "
            "log and the goal with the new teacher and write up what changed in their practice and "
            "for their students."
        ),
        "pre_reflection": [
            (
                "Think back to your own first years of teaching. What support helped, what was "
                "missing, and when did you need it most?"
            ),
            (
                "What do you think a mentor is for? How will you balance encouragement, practical "
                "help and work on instruction?"
            ),
        ],
        "post_reflection": [
            (
                "What evidence shows that the new teacher's practice changed in relation to the "
                "goal, and what changed for their students?"
            ),
            (
                "How did the new teacher's needs shift over the semester, and how did you adjust "
                "your mentoring?"
            ),
            "What will you do differently when you mentor your next new teacher?",
        ],
        "evidence": [
            {
                "title": "Growth goal and mentoring log",
                "kind": "document",
                "min_count": 1,
                "max_count": 2,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "The growth goal you agreed, the meeting schedule, and a log of every meeting "
                    "(date, length, topics, next steps agreed): eight or more over a semester."
                ),
                "look_fors": (
                    "The goal is tied to student learning; meetings happen at least every two "
                    "weeks; most entries return to the goal and end with a next step."
                ),
                "consent": False,
            },
            {
                "title": "Observation and student work notes",
                "kind": "document",
                "min_count": 2,
                "max_count": 6,
                "max_minutes": None,
                "max_words": None,
                "description": (
                    "For both observation cycles, the agreed focus, the observation notes and the "
                    "next step chosen; for both student work sessions, how the work was sorted and "
                    "the plan that came from it. Remove student names."
                ),
                "look_fors": (
                    "Notes are low-inference and tied to the goal; next steps are small and "
                    "specific; lesson plans follow from the sorted student work."
                ),
                "consent": False,
            },
            {
                "title": "Recorded debrief",
                "kind": "video",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": 20,
                "max_words": None,
                "description": (
                    "One debrief after an observation, up to 20 minutes, recorded with the new "
                    "teacher's written permission. No students should appear."
                ),
                "look_fors": (
                    "The new teacher does much of the analysis; the mentor asks more than tells; "
                    "the conversation ends with a next step the new teacher chose."
                ),
                "consent": True,
            },
            {
                "title": "Mentoring reflection",
                "kind": "written",
                "min_count": 1,
                "max_count": 1,
                "max_minutes": None,
                "max_words": 700,
                "description": (
                    "What changed in the new teacher's practice and for their students, with "
                    "evidence from the log and notes, and how you adjusted your mentoring over the "
                    "semester."
                ),
                "look_fors": (
                    "Claims of growth are backed by notes, student work or the new teacher's own "
                    "words; adjustments to the mentoring are specific."
                ),
                "consent": False,
            },
        ],
        "rubric": {
            "rule": "all",
            "sections": [
                {
                    "name": "Relationship and goal",
                    "evidence": [1],
                    "description": "Mentoring is regular, trusted and focused on a shared goal.",
                    "targets": [1],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Meetings are irregular or happen only when problems arise, or no "
                                "growth goal was agreed. Set a schedule at least every two weeks "
                                "and agree on one goal tied to student learning."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Eight or more meetings took place at least every two weeks; a "
                                "growth goal tied to student learning was agreed at the start, and "
                                "most meetings return to it while leaving room for urgent needs."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the log shows the new teacher increasingly "
                                "setting the agenda and bringing their own evidence to meetings."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Observation and debrief",
                    "evidence": [2, 3],
                    "description": "The new teacher analyzes evidence and chooses the next step.",
                    "targets": [2],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Observation notes are mostly judgments, or in the debrief the "
                                "mentor does most of the talking and tells the new teacher what to "
                                "change. Record what happened and ask before you suggest."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "Both cycles have an agreed focus and low-inference notes; the "
                                "debrief happens within two days, the new teacher analyzes the "
                                "evidence first, and it ends with a specific next step they chose."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and one cycle has the new teacher observe the "
                                "mentor's lesson planned around the goal, and the debrief connects "
                                "what they saw to their own next step."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Looking at student work",
                    "evidence": [2],
                    "description": "Student work drives the new teacher's planning.",
                    "targets": [3],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "Student work is discussed in general terms, or only once, or does "
                                "not lead to a plan. Sort a set of work by what students "
                                "understood and plan the next lesson from it."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "In two sessions the mentor and new teacher sort a set of student "
                                "work by what students understood, and each session produces a "
                                "plan for the next lesson that responds to what they found."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the notes show the new teacher leading the "
                                "second session's sorting and analysis, with the mentor asking "
                                "questions rather than directing."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
                {
                    "name": "Responsive mentoring and growth",
                    "evidence": [1, 4],
                    "description": "The mentor adapts and documents the new teacher's growth.",
                    "targets": [4],
                    "levels": [
                        [
                            "Not yet",
                            (
                                "The reflection describes the meetings but not what changed for "
                                "the new teacher or their students, or how the mentoring changed. "
                                "Use the log and notes to show growth toward the goal."
                            ),
                        ],
                        [
                            "Proficient",
                            (
                                "The reflection shows growth toward the goal with evidence from "
                                "the log, notes or student work, and describes at least one way "
                                "the mentor adjusted support as the new teacher's needs changed."
                            ),
                        ],
                        [
                            "Exemplary",
                            (
                                "Meets Proficient, and the mentor and new teacher agree a next "
                                "goal for the following semester, and the mentor names what they "
                                "will do differently with their next new teacher."
                            ),
                        ],
                    ],
                    "passing": "Proficient",
                },
            ],
        },
    },
]
