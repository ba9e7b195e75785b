import {
  type ChoiceValue,
  type ConfirmQuestion,
  type Prompter,
  QuestionnaireInterrupted,
  type SelectQuestion,
  type TextQuestion,
} from "../../src/questionnaire/index.js";

/** One scripted answer: the question's label must contain `ask`; `answer` is typed or chosen. */
export type Step = { ask: string; answer: string | boolean | null } | { ask: string; interrupt: true };

export interface Transcript {
  /** Every question asked, in order. */
  asked: string[];
  /** Messages shown under a rejected typed answer. */
  rejected: { ask: string; typed: string; message: string }[];
  /** Lines the questionnaire printed. */
  said: string[];
  /** Options of every select, by label. */
  options: Map<string, string[]>;
}

/**
 * Answers the questionnaire's prompts from a script, in order, like a user at the keyboard: a typed answer
 * the validation refuses is refused (the next step must retype it), a Ctrl-C is an interruption.
 */
export function scriptedPrompter(script: Step[]): {
  prompter: Prompter;
  transcript: Transcript;
  remaining: () => Step[];
} {
  const steps = [...script];
  const transcript: Transcript = { asked: [], rejected: [], said: [], options: new Map() };
  const next = (message: string): Step => {
    transcript.asked.push(message);
    const step = steps.shift();
    if (!step) throw new Error(`question non prévue par le script : « ${message} »`);
    if (!message.includes(step.ask))
      throw new Error(`question « ${message} » posée, le script attendait « ${step.ask} »`);
    if ("interrupt" in step) throw new QuestionnaireInterrupted();
    return step;
  };
  const prompter: Prompter = {
    async text(q: TextQuestion) {
      for (;;) {
        const step = next(q.message) as { ask: string; answer: string | boolean | null };
        const typed = step.answer === null ? (q.default ?? "") : String(step.answer);
        const verdict = q.validate(typed);
        if (verdict === true) return typed;
        transcript.rejected.push({ ask: q.message, typed, message: verdict });
      }
    },
    async select<T extends ChoiceValue>(q: SelectQuestion<T>) {
      transcript.options.set(
        q.message,
        q.choices.map((c) => c.name),
      );
      const step = next(q.message) as { ask: string; answer: ChoiceValue };
      const wanted = step.answer === null && q.default !== undefined ? q.default : step.answer;
      const choice = q.choices.find((c) => c.value === wanted);
      if (!choice) throw new Error(`« ${String(step.answer)} » n'est pas un choix de « ${q.message} »`);
      return choice.value;
    },
    async confirm(q: ConfirmQuestion) {
      const step = next(q.message) as { ask: string; answer: boolean | null };
      return step.answer === null ? q.default : Boolean(step.answer);
    },
    say(line) {
      transcript.said.push(line);
    },
  };
  return { prompter, transcript, remaining: () => steps };
}
