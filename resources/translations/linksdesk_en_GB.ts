<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name></name>
    <message>
        <source>On the new laptop, install LinksDesk, create a vault and enrol it with a new code from your programme administrator. Syncing then brings down your whole shared caseload.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop does not sync with a server, so everything in this vault is only here. Back it up and restore the backup on the new laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back up the vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LinksDesk backups (*{suffix})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No backup was made; {name} is as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup was already written when it was cancelled: {file}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup cancelled: nothing was written to {file}, and a file that was there before is as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{changes} not yet synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These stay only on this laptop and will NOT come down to the new one: {what}. Private rows never go to the server, by design. To keep them, make a backup now and restore it on the new laptop instead of starting afresh, and only then wipe this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything here is on the server; nothing stays behind.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Once the new laptop works, ask your administrator to revoke this one before it is wiped or handed back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop is device {device}: give them that id (the new laptop has one of its own).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moving to a new laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back up now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bring back a vault from a backup file made with File › Back up — on a new laptop, or after losing this one&apos;s vault. It opens with the passphrase it had when the backup was made, or with its recovery key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About this backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to put the vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I know its &amp;passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have its &amp;recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase of the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Backup file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vault file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pa&amp;ssphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;epeat it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the vault there?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Replace it with the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the backup file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where to put the vault.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the recovery key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a new passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the passphrase of the backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the backup and its passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backup of {when} ({size:,} KB, made by LinksDesk {version})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault at {path} has changes newer than this backup. The backup was made on {made}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; the latest work in the vault there is from {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.

If you restore, that later work is not in the restored vault: what was synced comes back from the server at the next sync; private records and unsaved words kept for later do not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault at {path} is an older copy of this same vault: nothing in it is newer than the backup, which was made on {made}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault there is not deleted: it is kept in the same folder ({folder}), named “{name}.before-restore-” followed by today&apos;s date and time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace it with the backup?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored the {what}. Enter its passphrase to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault that was there is kept beside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It was made on another computer, so this is a laptop of its own now: once it is open, set up sync with a new code from your programme administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If this laptop syncs, sync once it is open: work synced since the backup comes back from the server, and anyone erased since stays erased.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge both versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}: both versions are below. Edit them into the one version to keep, then choose Save merged version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— On this laptop —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— From the server —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Merged version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save merged version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the merged version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That contact is on {day}, still to come: it can be cancelled now, but not recorded as attended or did not attend.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time} today is still to come: if the contact was on an earlier day, change the day as well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Venue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supported visits and attempted contacts do not count against the programme&apos;s appointment limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move booking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New day and time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Booked: {booked}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Booked: {booked}. Save with Ctrl+Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was talked about, what happens next…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your unsaved note was kept while LinksDesk was locked; it is back here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget this participant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;This cannot be undone.&lt;/b&gt; Everything about {pid} is destroyed on this device, on the server and on every device that syncs. Only a receipt that an erasure happened is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What will be destroyed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What will be destroyed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the programme id &lt;b&gt;{pid}&lt;/b&gt; to confirm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme id to confirm erasure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget {pid}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget this participant for good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goal, in the person&apos;s own words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it matters to them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where they are now (0–10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress now (0–10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set to the programme&apos;s usual review interval from today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why this context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completion was assisted (items read out or filled in for the person)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completion was assisted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help with completion pushes scores up, so it is recorded with the score.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept while locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copyright</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer onward or signpost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (a few words)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the directory by category, area or name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a resource.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the resource directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category, area or name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The resource directory is empty: add resources on the Resources screen first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About the chosen resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>suggested {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>made {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{status} {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new step cannot be after today: give the day it happened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new step cannot be before {day}, the day of the last one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update onward referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Postcode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP practice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How and when the person likes to be contacted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referred on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New participant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed when closing; say why in plain words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Currently {status}. The door is always open: a closed record can be reopened later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why the record is being closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not given or withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How it was given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each change is kept as a new version; the history stays visible.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referrer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit relationship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A source of support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The header row (the first, naming the columns) is not right, so nothing was imported. Correct it and import the file again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rows} could not be imported, so nothing was imported. Correct them and import the file again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row {row}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row {row} (line {line} of the file): {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Separate categories with semicolons, e.g. Food; Isolation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accessibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How to refer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported: {added} added, {updated} updated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock LinksDesk now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search participants, notes, goals and resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;participant…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already on record?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone with the same names and date of birth is already on record:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If this is the same person, open their record. A closed case is reopened there with Change status…, and everything recorded before is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open {pid}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a new participant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;contact…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a contact with the participant whose record is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New case &amp;note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a case note for the participant whose record is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record &amp;outcome…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record what happened at a booked contact, with its case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sa&amp;me person as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The open record and another are one person (registered twice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send and fetch changes from your programme&apos;s server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up s&amp;ync…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set this laptop up to sync with your programme&apos;s server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport for a supervisor…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import a bundle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your bundle &amp;key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show {view}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About LinksDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print everything held about the participant whose record is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;GP summary…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A summary for the participant&apos;s GP record (needs their GP consent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the running task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after minutes without use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LinksDesk locks itself after this long without use, time asleep included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear copied text after seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment limit per person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supported visits and attempted contacts do not count towards the limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not seen for weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People not seen for this long are listed on the Today screen to reach out to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review goals every weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Concerns, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed on a participant&apos;s own record and on GP summaries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear copied text after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme na&amp;me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Appointments per person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Not seen for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Review goals every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;oncerns (one per line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your programme may set these centrally; a sync then replaces them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each template starts with a line &quot;## Its name&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note &amp;templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each template starts with a line &quot;## Its name&quot;. Clear the box to go back to the templates LinksDesk comes with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words the spell checker should know</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Programme words (one per line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the new passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;urrent passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;ew passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;peat it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hange passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changing the passphrase does not change your recovery key: keep using the one you stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Case notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your programme administrator gives you the server address and a one-time enrolment code. Records you made before enrolling will sync too, following each person&apos;s consent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: Laptop 3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolment &amp;code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name of this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Enrol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrol this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the passphrase is forgotten, this key is the only way into the vault.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this page somewhere safe, away from the computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed on {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{status} · handed over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed over to another links worker: you can read it, not change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointments used against the programme&apos;s limit (supported visits and attempted contacts do not count).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open goals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of people shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{action} — who is it for?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No participant&apos;s record is open. Choose whose record this is for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name or programme id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching participants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open (not closed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New participant…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fi&amp;lter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caseload table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a &amp;contact…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a case &amp;note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed over to another links worker: read only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no participant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same record was changed on this laptop and elsewhere before they synced. Both versions are kept until you choose; your choice goes to the server on the next sync and settles it on every device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No conflicts to resolve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version on this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this laptop&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the version on this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the server&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the version from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge both versions by editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the participant&apos;s record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◀ Previous week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next week ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a contact to record its outcome.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Attended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record: attended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Did not attend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record: did not attend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca&amp;ncelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record: cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move booking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected booking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participant record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participant name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointments used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts of the record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G&amp;oals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;eferrals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Wellbeing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profile and consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This participant&apos;s record was erased, so the case note you were writing about them could not be kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record left this laptop while you were writing: the case was handed over to another links worker, or sharing with the team was withdrawn on your other laptop. Your case note was not saved in it: it is kept for you in the bar above, to copy and pass on, then discard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a goal…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review the selected goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add step…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a step to the selected goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step done / not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected step done or not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected goal entered in error, or take a mistaken mark off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step &amp;done / not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move step &amp;up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected step up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move step do&amp;wn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected step down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove step…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected step up (Alt+Up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected step down (Alt+Down)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove step…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected step (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps of the selected goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it matters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supportive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to network…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add someone to the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected relationship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected relationship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile and consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change status…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent (every version kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record consent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Concerns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add concern…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved / reopen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected concern resolved or reopen it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected concern entered in error, or take a mistaken mark off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same person as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record and another are one person (registered twice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not the same person after all…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a record brought into this one a record of its own again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget this participant…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget this participant (erasure)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destroys the whole record here, on the server and on every device that syncs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referrals in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add referral…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a referral in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected onward referral entered in error, or take a mistaken mark off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Onward referrals and signposting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer onward or signpost…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected referral in entered in error, or take a mistaken mark off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update status…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update the selected onward referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Onward referrals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact this note is about</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No particular contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Te&amp;mplate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private (never leaves this device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill the note from a template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case note text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a case note…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep as a new note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the words of this revision as a new case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record contact…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule contact…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempted contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record an attempted contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revise note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revise the selected note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected contact or case note entered in error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to the right record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected case note to the right participant&apos;s record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline of contacts and notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected entry and its revisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assisted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Measure:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a score…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Episode {n}, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Episode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Against the episode&apos;s baseline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a wellbeing score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected score entered in error, or take a mistaken mark off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wellbeing scores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked for over six months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Overwhelmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Many onward referrals lately, or referrals while it is full: consider other resources.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search organisation, service, category, area…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Category:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark verified today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected resource verified today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer someone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer or signpost a participant to the selected resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import resources from a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the directory to a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import or export progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the import or export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve conflicts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the conflicts to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the sync lists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes the server refused, and changes from your other laptop you need to look at. They do not hold up other changes; once you have dealt with one (for example by editing the record again), dismiss it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the selected change needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss the selected line: you have dealt with it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected record is not the same person as the participant forgotten</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No syncs yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Was due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record the outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None booked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s lists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh today&apos;s lists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing booked for today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Later this week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing booked for the rest of the week.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcomes to record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every past contact has its outcome recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts whose time has passed and are still marked scheduled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goal reviews due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No goal reviews due in the next 7 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Onward referrals waiting for an outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No onward referrals are waiting for an outcome.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not seen for a while</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone on the caseload has been seen recently.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The door is always open: people you might reach out to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export for a supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervision (identifiable, shared cases only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluation (pseudonymised)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisors&apos; keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional, e.g. 2026-04..2026-09</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisors&apos; &amp;keys (one a line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bundle holds only what your participants&apos; consent lets leave this laptop. Its signature file is written beside it: copy both files together.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundle file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bundle file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept this signer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every signature, the expiry and the contents are checked before anything is imported; a bundle that fails a check changes nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your bundle key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Links workers choose File › Export for a supervisor… and paste this key; your programme administrator gives it to the server too. What they send you is encrypted to it, and only this vault can open it: keep this vault backed up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Make my bundle key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop&apos;s vault is a links worker&apos;s: only a supervisor&apos;s vault has a bundle key. To send your work to your supervisor, use File › Export for a supervisor… with their key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This vault has no bundle key yet. Make it once: it stays the same from then on, so bundles made for it can always be opened here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP summary — {pid}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the GP practice will be told. Private items never go in; case notes only when you tick them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP summary text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP summary message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The person &amp;declined social prescribing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds the code &quot;Social prescribing declined&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case notes to include</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include the case note of {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case notes that can be shared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{notes} is never shared and is not listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{notes} are never shared and are not listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the summary to paste into the practice&apos;s system; cleared again after a while</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save PDF letter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept for a handed-over case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case was handed over to another links worker, so what you entered cannot be saved in it here any more. It is kept for you below: copy it to pass on to them or to keep elsewhere, then discard it. Until you discard it, it stays kept in the vault.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep for later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private items in this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record of {pid} holds items marked private: {items}.

They are the person&apos;s data too. Decide with them whether the printed record includes them. If they are left out, the record says which parts were left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which private items the record holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Include private items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave them out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As a board sees it (small numbers hidden)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports from another vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take in external reports another supervisor wrote, so that yours are checked against them for overlaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluation files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the pseudonymised evaluation records as CSV files for an evaluation team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name workers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The names you know your workers by, for this dashboard and internal reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report export progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data as of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something else (say what)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you mark the wrong one, choose it again and Not in error after all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered in error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In your words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark entered in error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name your workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundles and the server know each worker by an id. Type the name you know each one by: it shows on this dashboard and in your internal reports. Reports for a board and the evaluation files never carry these names. Leave a field blank to go back to the id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No worker is known to this vault yet: import their bundles first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of {worker}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{worker} · laptops: {laptops}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{pid}: {name}, {born}, recorded {since}; {held}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These two records are one person?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep {kept} and bring {other} into it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Brought in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is deleted or moved: {other} stays findable and opens this record, both histories show here, and the person counts once. A consent withdrawn on either record applies to both. Not the same person after all… undoes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bring {other} into {kept}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not the same person after all?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{other} ({name}) will be a record of its own again, with everything recorded in it, and no longer part of {kept}. Nothing is deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{other}&apos;s consents go back to what was recorded for it before (not given where nothing was): a consent given while they were one person stays with {kept} only, and a withdrawal recorded meanwhile stands for both.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About LinksDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LinksDesk {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case recording for links workers, offline first, with your records encrypted on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wellbeing measures:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used with permission; the scales may not be changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundled components</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Licence text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built with (choose one to read its licence):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(licence file {name} is missing)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BookingsScreen</name>
    <message>
        <source>Schedule again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} did not attend. Offer another appointment?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BundleKeyDialog</name>
    <message>
        <source>Copied: paste it into an email or message to your workers.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseloadView</name>
    <message>
        <source>Actions for this participant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{cases} also match what you typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{cases} also matches what you typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{cases} match what you typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{cases} matches what you typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To see closed cases, choose Everyone or Closed under Status.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>The numbers behind the chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the chart</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictMergeDialog</name>
    <message>
        <source>The merged version you have written will be lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The merged version cannot be empty.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <source>Conflicts to resolve ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no participant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled. Your choice goes to the server on the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>{day} is still to come: record an attempt once you have tried to reach them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>LinksDesk — something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LinksDesk hit a problem it did not expect. Work you had saved is safe in your vault. If this keeps happening, copy the report below and send it to your administrator: it holds no names or notes, only what the program was doing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error report details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the error report</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreatePage</name>
    <message>
        <source>Create your vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your case records are kept in an encrypted vault on this computer. Choose a passphrase only you know: without it, or the recovery key you will see next, nobody can open the vault — not even your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat the passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A &amp;supervisor&apos;s vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imports bundles from the team&apos;s laptops and server; holds no caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A supervisor&apos;s vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an existing vault instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calendar…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick the date from a calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The date as read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DateTimeField</name>
    <message>
        <source>e.g. {example}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the day, as {example}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the time, as {example}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DiaryView</name>
    <message>
        <source>Diary: week of {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts on {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a contact to record its outcome.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handed over, read only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an attempted contact has no outcome to record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case was handed over to another links worker — you can read it, not change it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <source>Enter the new code here to go on syncing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server address and the code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacting the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whose code is this?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This code is for {worker} ({team}). Enrol this laptop as theirs?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was used and nothing was sent. If the code is not yours, ask your programme administrator for your own code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop had been revoked, so it is set up to sync as a new laptop; everything on it is kept and is sent now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop is set up to sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not say whose the code was (it is an older one): ask your programme administrator to check this laptop is listed as yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not be reached. Check the address and your network, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolment failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportBundleDialog</name>
    <message>
        <source>Save the bundle as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter at least one key and where to save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the export of a bundle for your supervisor to {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{key}” is not a whole bundle key. Copy it again from your supervisor&apos;s File › Your bundle key… (it starts with age1), all of it, and paste it here. Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundle written: %s (and its signature beside it).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External: board, funder, evaluation (small numbers hidden)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal: supervision (exact numbers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File to write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the report as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is there already: type another name for this report.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FigureTableModel</name>
    <message>
        <source>Hidden to protect small numbers</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Form message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in {field}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you had entered was kept while LinksDesk was locked; it is back here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GoalsTab</name>
    <message>
        <source>Why it matters: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Struck through: the goal of this step was entered in error ({why}). Nothing more is recorded of it until the mark is taken off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove step?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the step “{step}” from this goal?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The goal set on {day}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GpSummaryDialog</name>
    <message>
        <source>Changed since you copied it: copy it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied. Paste it into the practice&apos;s system; the clipboard is cleared in {n} seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the GP summary letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The letter was not saved; {name} is as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the letter as {name}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportBundleDialog</name>
    <message>
        <source>This vault has no bundle key yet, so no bundle can be opened here. Make it with File › Your bundle key… and give it to your workers; bundles they make for it can then be imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop&apos;s vault is a links worker&apos;s, not a supervisor&apos;s: bundles are imported by your supervisor, into their own vault. To send your work to them, use File › Export for a supervisor….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the bundle file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the import of a bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This bundle is signed by a key this vault does not know (fingerprint %s). Phone the person who sent it and compare the fingerprint; if it matches, tick the box below and import again. Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I compared the fingerprint %s with the sender; accept this signer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roster imported: %s.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InErrorDialog</name>
    <message>
        <source>Say in your words what went wrong.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InlineMessage</name>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeptDraftsBar</name>
    <message>
        <source>Unsaved work kept while locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a participant no longer on this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved yet, kept for you: {items}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{item} (handed over: open it to copy or discard)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{form} for {person}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{measure} answers ({done} of {total}) for {person}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a change to a case note of {person}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a case note for {person}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeptTextDialog</name>
    <message>
        <source>Copied; the clipboard is cleared in {n} seconds.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LimitPreview</name>
    <message>
        <source>Appointment limit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participant record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LinksDesk is locked. Enter your passphrase to carry on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{view} — LinksDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case was handed over: it can be read, not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit LinksDesk?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words you wrote could not be kept in the vault because the disk is full. LinksDesk holds them until you unlock again: free some space and unlock. If you quit now, they are lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked — LinksDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This vault is open read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop&apos;s clock is behind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sync is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up sync again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up s&amp;ync…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the vault and its key file into one encrypted backup file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moving to a &amp;new laptop…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a new laptop gets by syncing, and what stays only on this one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MeasureDialog</name>
    <message>
        <source>The answers you had entered were kept while LinksDesk was locked; they are back here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answers you have ticked will be lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} of {n} questions answered (ONS4 answers are never added up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} of {n} items answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw score {raw}, metric score {metric:.2f}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total {total} (14–70)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in the date it was taken on.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NetworkTab</name>
    <message>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from the network?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove {name} ({kind}) from the network? What is written about them goes too.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoteEditor</name>
    <message>
        <source>Your unsaved note was kept; it is back in the editor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record is read-only: no new case notes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a case note…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case notes (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save or discard the note you are writing first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note of {when} you were revising is marked entered in error: your words are kept here, not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revising the note of {when} (the earlier text is kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case note you opened to revise was marked entered in error, so it is no longer revised. Nothing you typed was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mark was taken off the case note you are revising: Save note saves your revision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While you were revising this case note it was moved to the right participant&apos;s record, here or on your other laptop: it had been written in the wrong one. Your revision is not saved in this record, and your words are still in the editor. If they belong with that note, copy them and add them in the right participant&apos;s record, then Discard them here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While you were revising this case note it was marked entered in error, here or on your other laptop (why: {why}). A note marked so is not changed, so your revision is not saved, and your words are still in the editor. Choose Keep as a new note to save them as a new case note. If the mark was the mistake, choose the note on the Timeline, Not in error after all…, then Save note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New case note (the words of your revision)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your words are now a new case note: read them, then Save note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No particular contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While you were revising this case note it was marked entered in error, so your revision is not saved. Your words are still in the editor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case was handed over to another links worker while you were writing, so your case note cannot be saved in it. It is kept for you in the bar above, to copy and pass on, then discard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard this note?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OnwardDialog</name>
    <message>
        <source>{name} says it is full: the person may not get a place soon. Tell them, or choose another resource; it can still be recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} has a waiting list: tell the person they may have to wait.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpenPage</name>
    <message>
        <source>Unlock LinksDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your passphrase to open your case records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forgot your passphrase? Use your recovery key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ParticipantDialog</name>
    <message>
        <source>{problem} Type the year in full, e.g. {year}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ParticipantView</name>
    <message>
        <source>This case was handed over to another links worker — you can read it, not change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The participant has been forgotten.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participant name: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{pid} (also {also})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{scope}: not asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No consent recorded yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{scope}: yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given on {day} (version {v})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{scope}: no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not given or withdrawn on {day} (version {v})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointments: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointments: {used} of {limit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over the programme&apos;s limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Risk: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No participant open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participant name</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphraseEdit</name>
    <message>
        <source>Show passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide passphrase</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PathRow</name>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose: {what}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PersonChooser</name>
    <message>
        <source>Nobody on the caseload matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type part of their name or programme id, or choose them in the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a participant first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case was handed over: it can be read, not changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileTab</name>
    <message>
        <source>Same person as {pid}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the other record of this person. {pid} is kept: its programme id stays the person&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not the same person after all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which record?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The concern {concern}, identified on {day},</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordCommands</name>
    <message>
        <source>Record contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same person as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer onward or signpost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose whom to refer or signpost to the resource you chose.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordDocuments</name>
    <message>
        <source>Open a participant&apos;s record first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print record — {pid}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record of {pid} is ready to print.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordPrintPreview</name>
    <message>
        <source>Print preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this document as a PDF file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordTabBase</name>
    <message>
        <source>Not in error after all…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered in error…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referred again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seen again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen the case?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case is closed. Reopen it as {status}, so it is back on the caseload and Today? The history stays as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This entry is marked entered in error, so nothing more is done with it. If the mark was the mistake, choose Not in error after all… first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose {what} in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoverPage</name>
    <message>
        <source>Recover your vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the recovery key you stored when you created the vault, then choose a new passphrase. Your records stay as they are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery &amp;key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat the new passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recover and unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to unlock</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPage</name>
    <message>
        <source>Store your recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you forget your passphrase, this recovery key is the only way into your vault. It is shown only now and is not kept anywhere. Print it or write it down, and keep it somewhere safe away from this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cop&amp;y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the recovery key; the clipboard is cleared again after 30 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have &amp;stored the recovery key somewhere safe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have stored the recovery key somewhere safe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ontinue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick the box above once the recovery key is stored safely</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReferralsTab</name>
    <message>
        <source>a referral in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The onward referral to {resource}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The referral received on {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This onward referral is finished ({status}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportSettingsDialog</name>
    <message>
        <source>Programme settings for reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe caseload: open cases at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe caseload: people a year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target wait to first contact (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External reports hide counts below</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResourcesView</name>
    <message>
        <source>Choose a resource in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the import of the resource directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the export of the resource directory to {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {resources}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} overwhelmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported: {a} added, {u} updated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Choose the backup file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LinksDesk backups (*{suffix});;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to put the vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A {what}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the backup and its passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Putting the vault in place…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was restored; the vault there is as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That passphrase does not open this backup. Use the passphrase the vault had when the backup was made, or its recovery key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That recovery key does not open this backup. Check it against the copy you stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The restore cannot be stopped half-way: a vault half in place would open for no one. It takes seconds, and you are told when it is done.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchPalette</name>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search participants, case notes, goals and resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↑ ↓ to choose · Enter to open · Esc to close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type to search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The search failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Participant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SessionBoundDialog</name>
    <message>
        <source>Discard what you have written?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings you have changed will not be saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings could not be saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your current passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a new passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your passphrase has been changed. Use the new one from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase could not be changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <source>Close with a booking still open?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} at {when} is still booked ({count} in all). It stays in the Diary and Today until its outcome is recorded, or it is moved or cancelled. Close the case anyway?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StrengthHint</name>
    <message>
        <source>Passphrase strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase advice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisionView</name>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write this report anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No report was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the writing of a report to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the writing of the evaluation files to {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{scope}, {period}. Data as of {when} (the earliest of the workers&apos; dates; see &apos;Data as of&apos; below).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken in: {reports}. Your external reports are checked against them too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report written to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{scope}, {period}. No data yet: File › Import a bundle… brings your workers&apos; bundles in.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Sync not set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synced {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} need attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <source>This laptop is not set up to sync yet (File → Set up sync…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 change waiting to be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not the same person after all?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record will stand as a person of its own, no longer recorded as the same person as the participant who was forgotten. Nothing is erased.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} changes waiting to be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{conflicts} to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelineTab</name>
    <message>
        <source>Record the booked contact?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} is booked at {when}. Record what happened at it instead of adding another contact?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already recorded?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} at {when} is already recorded{status}. Record another one as well?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No booked contact to record an outcome for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That outcome is being recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They did not attend. Offer another {kind}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the entered in error mark off the selected contact or case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected contact or case note entered in error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That booking cannot be moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It has been recorded, marked entered in error or removed since. Discard the new day and venue you typed for it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a contact or case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case note written on {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are revising this note: save or discard your changes first, then choose it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If it was moved with Move to the right record…, the copy written in the other participant&apos;s record stays there as well. Moved to the wrong person? Open their record and move the copy on from there instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the case note to move in the list first (one not marked entered in error).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note is already in this record. Choose whose record it belongs in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the participant whose record this case note belongs in. Its words are written there as a new note with the same date, saying it was moved; here it stays struck through, marked entered in error, and reaches nothing else (not this person&apos;s own record, a GP summary or search).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case note was moved to the right participant&apos;s record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move booking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Schedule again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Not in error after all…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Entered in error…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revise note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move to the right record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered in error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Venue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts towards the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered in error {when}: {why}. Kept for you to see what happened; it reaches nothing outside this view.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This note was revised in two places at once; both versions are kept below.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TodayView</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today, {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts to resolve ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A record was changed here and elsewhere before they synced; both versions are kept until you choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} records were changed here and elsewhere before they synced; both versions are kept until you choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The door is always open: people not seen for {weeks} or more, whom you might reach out to.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <source>Wellbeing trend chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No {kind} scores yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (lower is better)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Possible decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No meaningful change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Possible improvement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear improvement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Episode {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assisted completion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Baseline {b:g}; changes of {p:g} or more may be meaningful, {c:g} or more are clear. </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UiSession</name>
    <message>
        <source>The vault locked as {work} was ending: it was done all the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault locked during {work}, so it stopped: nothing of it was kept or written. Start it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault is locked, but the disk is full (or cannot be written to), so your unsaved words could not be kept in it. LinksDesk holds them until you unlock again: free some space, and do not quit LinksDesk before then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault is locked, but unsaved text could not be kept as a draft.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LinksDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock LinksDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the vault file first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is Caps Lock on? Every letter was typed as a capital.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where to keep the vault file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating your vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the recovery key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied. The clipboard will be cleared again in 30 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recovery key was sent to the printer. Collect the page now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your recovery key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a new passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserGuideWindow</name>
    <message>
        <source>LinksDesk user guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user guide is missing from this installation. Reinstall LinksDesk.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VaultPathRow</name>
    <message>
        <source>Vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path of the vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where the vault file is</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WellbeingTab</name>
    <message>
        <source>A new baseline: they came back (case reopened or referred in again) since their last score, so this starts a new episode of support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a score</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkerNamesDialog</name>
    <message>
        <source>The names you have typed will not be saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_BundleDialog</name>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That did not work.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <source>Discard what you have written?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>edit</name>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>menu</name>
    <message>
        <source>No suggestions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>Sync stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go on only if you expected this (for example, cases handed to a colleague, or several people withdrawing their consent to share).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is already a file named {name} there. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text you have written will be lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard what was kept?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you entered will be gone for good. Discard it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record outcome: &amp;attended…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record outcome: &amp;did not attend…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record outcome: &amp;cancelled…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move booking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports written from another vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports (*.xlsx *.csv *.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new folder for the evaluation files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>born {day}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>repeat</name>
    <message>
        <source>The two passphrases are not the same. Type the second one again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <source>That contact&apos;s outcome is already recorded ({status}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <source>A backup is being made already; this bar says when it is done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing up the vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up to {file}. It opens with your passphrase or recovery key; keep it somewhere safe, away from this laptop.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>widget</name>
    <message>
        <source>Something went wrong. The details are in the error report.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
