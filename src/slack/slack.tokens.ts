export const SLACK_API = Symbol('SLACK_API');
export const BOLT_APP = Symbol('BOLT_APP');
