/** One task queue for every workflow and activity: any number of workers may poll it. */
export const TASK_QUEUE = 'amplify-migrate';
