import {
  formatDate,
  formatDuration,
  formatTime,
  interviewTypeLabel,
  joinNames,
  mergeValues,
  type CandidateFacts,
  type InterviewFacts,
} from './interview-values';

// Tuesday 8 December 2026, 09:00 UTC = 10:00 in Stockholm (CET) = 04:00 in New York (EST).
const startsAt = new Date('2026-12-08T09:00:00Z');

const interview: InterviewFacts = {
  projectTitle: 'Backend Engineer Göteborg',
  type: 'phone',
  startsAt,
  durationMinutes: 45,
  timezone: 'Europe/Stockholm',
  location: 'Kungsgatan 1, Göteborg',
  recruiterNames: ['Rita Rekryterare', 'Sam Svensson'],
  senderName: 'Rita Rekryterare',
};
const anna: CandidateFacts = { firstName: 'Anna', lastName: 'Lindqvist', language: 'sv' };

describe('dates and times in the candidate language and the interview zone', () => {
  it('Swedish vs English dates', () => {
    expect(formatDate(startsAt, 'Europe/Stockholm', 'sv')).toBe('tisdag 8 december 2026');
    expect(formatDate(startsAt, 'Europe/Stockholm', 'en')).toBe('Tuesday, 8 December 2026');
  });

  it('times with the zone, Stockholm vs New York', () => {
    expect(formatTime(startsAt, 'Europe/Stockholm', 'sv', 45)).toBe('10:00–10:45 (CET)');
    expect(formatTime(startsAt, 'Europe/Stockholm', 'en', 45)).toBe('10:00–10:45 (CET)');
    expect(formatTime(startsAt, 'America/New_York', 'en', 45)).toBe('04:00–04:45 (GMT-5)');
    expect(formatTime(startsAt, 'America/New_York', 'sv', 45)).toBe('04:00–04:45 (GMT−5)');
  });

  it('the date follows the zone across midnight', () => {
    const late = new Date('2026-12-09T02:30:00Z'); // 03:30 Wed in Stockholm, 21:30 Tue in New York
    expect(formatDate(late, 'Europe/Stockholm', 'en')).toBe('Wednesday, 9 December 2026');
    expect(formatDate(late, 'America/New_York', 'en')).toBe('Tuesday, 8 December 2026');
  });

  it('summer time is named', () => {
    expect(formatTime(new Date('2026-06-09T08:00:00Z'), 'Europe/Stockholm', 'sv', 30)).toBe('10:00–10:30 (CEST)');
  });

  it('Norwegian, Danish and Finnish', () => {
    expect(formatDate(startsAt, 'Europe/Stockholm', 'nb')).toBe('tirsdag 8. desember 2026');
    expect(formatDate(startsAt, 'Europe/Stockholm', 'da')).toBe('tirsdag den 8. december 2026');
    expect(formatDate(startsAt, 'Europe/Helsinki', 'fi')).toBe('tiistaina 8. joulukuuta 2026');
    expect(formatTime(startsAt, 'Europe/Helsinki', 'fi', 45)).toBe('11.00–11.45 (UTC+2)');
  });

  it('rejects an unknown zone with a clear message', () => {
    expect(() => formatDate(startsAt, 'Mars/Olympus', 'sv')).toThrow('Unknown time zone "Mars/Olympus"');
  });
});

describe('labels', () => {
  it('durations', () => {
    expect(formatDuration(45, 'sv')).toBe('45 minuter');
    expect(formatDuration(45, 'en')).toBe('45 minutes');
    expect(formatDuration(60, 'en')).toBe('1 hour');
    expect(formatDuration(90, 'sv')).toBe('1 timme 30 minuter');
  });

  it('interview types', () => {
    expect(interviewTypeLabel('in_person', 'sv')).toBe('Personlig intervju');
    expect(interviewTypeLabel('info_meeting', 'en')).toBe('Information meeting');
    expect(interviewTypeLabel('group', 'fi')).toBe('Ryhmähaastattelu');
  });

  it('recruiters joined naturally', () => {
    expect(joinNames(['Rita', 'Sam'], 'sv')).toBe('Rita och Sam');
    expect(joinNames(['Rita', 'Sam'], 'en')).toBe('Rita and Sam');
    expect(joinNames(['Rita', 'Sam', 'Kim'], 'en')).toBe('Rita, Sam and Kim');
    expect(joinNames(['Rita'], 'da')).toBe('Rita');
  });
});

describe('mergeValues', () => {
  it('fills every tag for a Swedish candidate', () => {
    expect(mergeValues(interview, anna, 'https://k.example/r/t1')).toEqual({
      candidate_first_name: 'Anna',
      candidate_last_name: 'Lindqvist',
      candidate_name: 'Anna Lindqvist',
      project_title: 'Backend Engineer Göteborg',
      interview_type: 'Telefonintervju',
      interview_date: 'tisdag 8 december 2026',
      interview_time: '10:00–10:45 (CET)',
      interview_duration: '45 minuter',
      interview_location: 'Kungsgatan 1, Göteborg',
      recruiters: 'Rita Rekryterare och Sam Svensson',
      sender_name: 'Rita Rekryterare',
      confirmlink: 'https://k.example/r/t1',
    });
  });

  it('uses the localised location fallback and an empty link when there is none', () => {
    const en = mergeValues({ ...interview, location: '  ' }, { ...anna, language: 'en' }, null);
    expect(en.interview_location).toBe('to be announced');
    expect(en.confirmlink).toBe('');
    expect(mergeValues({ ...interview, location: null }, anna, null).interview_location).toBe('meddelas senare');
  });
});
