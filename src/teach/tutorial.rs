//! The tutorial as a state machine over the lessons (`super::lessons`): it says what to show
//! before each step, judges each statement the learner ran by the step's predicate over the
//! world, and advances. The shell reads the statements, runs them through the engine and
//! prints; this module only decides.

use crate::world::World;

use super::lessons::{Attempt, Known, Lang, SOLUTIONS, STEP_COUNT, STEPS, Texts, fill};

/// What to show before the learner's next statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// The lesson's title and introduction, when the step starts a lesson.
    pub lesson: Option<String>,
    /// Statements odpsh runs first (empty for most steps), and the line that announces them.
    pub setup: &'static str,
    pub setup_heading: &'static str,
    /// The step's heading and instruction.
    pub instruction: String,
}

/// What the learner's statement did for the step.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The step's goal holds: its "done" text; the tutorial moved on.
    Done(String),
    /// Not yet: the hint.
    NotYet(String),
    /// The statement spoiled the step: the text, and the world to go back to.
    Spoiled(String, Box<World>),
}

/// Where a learner is in the tutorial.
#[derive(Debug, Clone)]
pub struct Tutorial {
    lang: Lang,
    step: usize,
    known: Known,
    /// The world before the learner's statement, for a spoiled step.
    before: Option<World>,
}

impl Tutorial {
    pub fn new(lang: Lang) -> Tutorial {
        Tutorial {
            lang,
            step: 0,
            known: Known::default(),
            before: None,
        }
    }

    fn texts(&self) -> &'static Texts {
        self.lang.texts()
    }

    pub fn finished(&self) -> bool {
        self.step >= STEP_COUNT
    }

    pub fn welcome(&self) -> String {
        format!("{}\n", self.texts().welcome)
    }

    pub fn farewell(&self) -> String {
        format!("{}\n", self.texts().finished)
    }

    /// The line printed when the tutorial ends before its last step.
    pub fn stopped(&self) -> String {
        let n = (self.step + 1).min(STEP_COUNT);
        format!(
            "{}\n",
            self.texts()
                .stopped
                .replace("{n}", &n.to_string())
                .replace("{total}", &STEP_COUNT.to_string())
        )
    }

    /// What to show for the current step.
    pub fn prompt(&mut self, world: &World) -> Option<Prompt> {
        let spec = STEPS.get(self.step)?;
        let texts = self.texts();
        let starts_lesson = self.step == 0 || STEPS[self.step - 1].lesson != spec.lesson;
        let lesson = starts_lesson.then(|| {
            let l = &texts.lessons[spec.lesson];
            format!("\n== {} ==\n{}\n", l.title, l.intro)
        });
        self.known.update(world);
        Some(Prompt {
            lesson,
            setup: spec.setup,
            setup_heading: texts.setup,
            instruction: self.instruction(world),
        })
    }

    fn instruction(&self, world: &World) -> String {
        let texts = self.texts();
        let heading = texts
            .step_heading
            .replace("{n}", &(self.step + 1).to_string())
            .replace("{total}", &STEP_COUNT.to_string());
        let text = fill(texts.steps[self.step].instruction, world, &self.known);
        format!("\n{heading}{text}\n")
    }

    /// Call before the learner's statement runs: remembers the world as it is.
    pub fn before(&mut self, world: &World) {
        self.known.update(world);
        self.before = Some(world.clone());
    }

    fn done(&mut self, world: &World) -> Verdict {
        let texts = self.texts();
        let text = fill(texts.steps[self.step].done, world, &self.known);
        self.step += 1;
        Verdict::Done(format!("{}{text}\n", texts.well_done))
    }

    /// Judges the statement that just ran (`world` is the world after it).
    pub fn judge(&mut self, world: &World, attempt: &Attempt<'_>) -> Option<Verdict> {
        let spec = STEPS.get(self.step)?;
        let texts = self.texts();
        if let (Some(spoiled), Some(before)) = (spec.spoiled, &self.before)
            && spoiled(world, &self.known, attempt)
        {
            return Some(Verdict::Spoiled(
                format!("{}\n", texts.spoiled),
                Box::new(before.clone()),
            ));
        }
        if (spec.goal)(world, &self.known, attempt) {
            return Some(self.done(world));
        }
        let hint = fill(texts.steps[self.step].hint, world, &self.known);
        // A hint never repeats the statement just run: what follows it, or that it was it.
        let ran = attempt.input.map(|input| input.to_string());
        let parts: Vec<&str> = hint.split(texts.then).collect();
        let same = |part: &str, ran: &str| {
            part.trim_end_matches(';')
                .eq_ignore_ascii_case(ran.trim_end_matches(';'))
        };
        let at = ran.and_then(|ran| parts.iter().position(|p| same(p, &ran)));
        let hint = match at {
            Some(i) if i + 1 < parts.len() => {
                format!("{}{}", texts.hint_then, parts[i + 1..].join(texts.then))
            }
            Some(_) => texts.hint_repeated.to_string(),
            None => hint,
        };
        Some(Verdict::NotYet(format!("{}{hint}\n", texts.not_yet)))
    }

    /// The line before the steps up to `done` (1-based) that `--step` does for the learner.
    pub fn skipping(&self, done: usize) -> String {
        self.texts().skipped.replace("{n}", &done.to_string())
    }

    /// The 0-based step the learner is at.
    pub fn step(&self) -> usize {
        self.step
    }

    /// A statement that does the current step, filled from `world`.
    pub fn solution(&mut self, world: &World) -> Option<String> {
        let text = SOLUTIONS.get(self.step)?;
        self.known.update(world);
        Some(fill(text, world, &self.known))
    }

    /// Moves past the current step without judging it (`--step N` resumes after the steps the
    /// shell did with [`Tutorial::solution`]).
    pub fn skip(&mut self, world: &World) {
        self.known.update(world);
        self.step = (self.step + 1).min(STEP_COUNT);
    }

    /// When the current step's goal already holds (the learner did it ahead), moves on and
    /// says so.
    pub fn settled(&mut self, world: &World) -> Option<String> {
        let spec = STEPS.get(self.step)?;
        self.known.update(world);
        let nothing = Attempt {
            input: None,
            ok: false,
        };
        if (spec.goal)(world, &self.known, &nothing) {
            match self.done(world) {
                Verdict::Done(text) => Some(text),
                _ => None,
            }
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Session};
    use crate::syntax::{Input, parse_input, split};
    use crate::teach::lessons::LILEI_SETUP;

    fn run(world: &mut World, session: &mut Session, text: &str) -> (Option<Input>, bool) {
        let piece = split(text).remove(0);
        let input = parse_input(&piece).ok();
        let ok = match &input {
            Some(Input::Statement(s)) => engine::execute(world, session, s).is_ok(),
            Some(Input::Teach(_)) => true,
            None => false,
        };
        (input, ok)
    }

    #[test]
    fn the_right_statements_walk_every_step_and_a_wrong_one_gets_a_hint() {
        let (mut world, mut session) = crate::teach::test_support::fresh();
        let mut tutorial = Tutorial::new(Lang::En);
        for i in 0..STEP_COUNT {
            let prompt = tutorial.prompt(&world).unwrap();
            assert!(
                prompt
                    .instruction
                    .contains(&format!("Step {} of {STEP_COUNT}", i + 1))
            );
            if !prompt.setup.is_empty() {
                assert!(
                    [LILEI_SETUP, crate::teach::lessons::DENY_SETUP].contains(&prompt.setup),
                    "{}",
                    prompt.setup
                );
                for line in prompt.setup.lines() {
                    run(&mut world, &mut session, line);
                }
            }
            if i == 4 {
                // A wrong try first: a high-risk policy does not count.
                tutorial.before(&world);
                let wrong = "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei";
                let (input, ok) = run(&mut world, &mut session, wrong);
                let verdict = tutorial.judge(
                    &world,
                    &Attempt {
                        input: input.as_ref(),
                        ok,
                    },
                );
                assert!(
                    matches!(verdict, Some(Verdict::NotYet(h)) if h.starts_with("Not yet. Hint: "))
                );
                run(
                    &mut world,
                    &mut session,
                    "aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei",
                );
            }
            tutorial.before(&world);
            let answer = tutorial.solution(&world).unwrap();
            // A solution of several statements: all but the last run before the one judged.
            let mut lines: Vec<&str> = answer.lines().collect();
            let last = lines.pop().unwrap_or_default();
            for line in lines {
                run(&mut world, &mut session, line);
            }
            let (input, ok) = run(&mut world, &mut session, last);
            let verdict = tutorial.judge(
                &world,
                &Attempt {
                    input: input.as_ref(),
                    ok,
                },
            );
            assert!(
                matches!(verdict, Some(Verdict::Done(_))),
                "step {}: {answer}: {verdict:?}",
                i + 1
            );
        }
        assert!(tutorial.finished());
    }

    #[test]
    fn deleting_lilei_too_early_spoils_the_step_and_gives_the_world_back() {
        let (mut world, mut session) = crate::teach::test_support::fresh();
        let mut tutorial = Tutorial::new(Lang::Zh);
        tutorial.step = 13;
        for line in LILEI_SETUP.lines() {
            run(&mut world, &mut session, line);
        }
        tutorial.prompt(&world);
        tutorial.before(&world);
        let kept = world.clone();
        let (input, ok) = run(
            &mut world,
            &mut session,
            "aliyun console DeleteUser --UserName lilei",
        );
        match tutorial.judge(
            &world,
            &Attempt {
                input: input.as_ref(),
                ok,
            },
        ) {
            Some(Verdict::Spoiled(text, back)) => {
                assert!(text.contains("种子 004"));
                assert_eq!(*back, kept);
            }
            other => panic!("{other:?}"),
        }
    }

    /// The verdict on `text` at the 0-based `step`, after `setup` ran.
    fn verdict_at(step: usize, setup: &[&str], text: &str) -> Option<Verdict> {
        let (mut world, mut session) = crate::teach::test_support::fresh();
        for line in setup {
            run(&mut world, &mut session, line);
        }
        let mut tutorial = Tutorial::new(Lang::En);
        tutorial.step = step;
        tutorial.prompt(&world);
        tutorial.before(&world);
        let (input, ok) = run(&mut world, &mut session, text);
        let attempt = Attempt {
            input: input.as_ref(),
            ok,
        };
        tutorial.judge(&world, &attempt)
    }

    /// Issue 21, item 9: a hint never only repeats the statement the learner just ran.
    #[test]
    fn a_hint_does_not_just_repeat_the_statement_that_ran() {
        match verdict_at(6, &[], "add user RAM$MainCount:hanmeimei;") {
            Some(Verdict::NotYet(hint)) => assert_eq!(
                hint,
                "Not yet. Hint: you ran what this step asks, and it did not do it: explain; says why.\n"
            ),
            other => panic!("{other:?}"),
        }
    }

    /// Issue 21, item 9: step 3 checks the password reset it asks for.
    #[test]
    fn console_access_needs_a_reset_at_the_first_log_on() {
        let verdict = verdict_at(
            2,
            &["aliyun ram CreateUser --UserName hanmeimei"],
            "aliyun ram CreateLoginProfile --UserName hanmeimei --Password S3cure!pw",
        );
        assert!(matches!(verdict, Some(Verdict::NotYet(_))), "{verdict:?}");
    }

    #[test]
    fn a_step_done_ahead_is_settled_without_asking() {
        let (mut world, mut session) = crate::teach::test_support::fresh();
        let mut tutorial = Tutorial::new(Lang::En);
        run(&mut world, &mut session, "aliyun ram CreateAccessKey");
        tutorial.prompt(&world);
        assert!(tutorial.settled(&world).is_some());
        assert!(tutorial.settled(&world).is_none());
        assert!(
            tutorial
                .stopped()
                .starts_with("The tutorial stopped at step 2 of 17.")
        );
    }
}
