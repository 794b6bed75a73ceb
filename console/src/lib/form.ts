/** A submitted form's text field, trimmed ("" when absent). */
export function field(data: FormData, name: string): string {
  return String(data.get(name) ?? '').trim();
}

/** The value of the button that submitted the form (forms with one button per action). */
export function submitterValue(event: SubmitEvent): string {
  return (event.submitter as HTMLButtonElement | null)?.value ?? '';
}
