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
        <source>{n} private record(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} participant(s) who have not agreed to share with the team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} change(s) not yet synced</source>
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
        <source>Moving to a new laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back up now…</source>
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
        <source>Leave empty to use the programme&apos;s usual review interval.</source>
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
        <source>Context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken on</source>
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
        <source>Copyright</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer onward or signpost</source>
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
        <source>Choose a resource from the directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The resource directory is empty: add resources on the Resources screen first.</source>
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
        <source>{n} rows could not be imported, so nothing was imported. Correct these rows and import the file again:</source>
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
        <source>Line {line}: {reason}</source>
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
        <source>Show {view}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About LinksDesk</source>
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
        <source>&amp;Lock after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear copied text after</source>
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
        <source>Filter by name or programme id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
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
        <source>case notes ({n} revisions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>goals ({n} steps)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wellbeing scores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>people and services in their network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>referrals in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>onward referrals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>concerns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>consent records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status changes</source>
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
        <source>&amp;Goals</source>
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
        <source>&amp;Referrals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profile and consent</source>
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
        <source>Referrals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made on</source>
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
        <source>Onward referrals and signposting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer onward or signpost…</source>
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
        <source>&amp;About:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private (never leaves this device)</source>
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
        <source>Timeline</source>
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
        <source>Timeline of contacts and notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected entry and its revisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wellbeing</source>
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
        <source>Against baseline</source>
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
        <source>Record a wellbeing score</source>
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
        <source>Server&apos;s reason</source>
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
        <source>Changes the server refused. They do not hold up other changes; once you have dealt with one (for example by editing the record again), dismiss it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss the selected refused change</source>
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
        <source>{n} days</source>
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
</context>
<context>
    <name>ConflictMergeDialog</name>
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
        <source>New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat the passphrase</source>
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
</context>
<context>
    <name>DiaryView</name>
    <message>
        <source>Schedule again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} did not attend. Offer another appointment?</source>
        <translation type="unfinished"></translation>
    </message>
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
        <source>This case was handed over to another links worker — you can read it, not change it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <source>Enter the server address and the code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacting the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop is set up to sync.</source>
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
    <name>FormDialog</name>
    <message>
        <source>Form message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in {field}.</source>
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
</context>
<context>
    <name>InlineMessage</name>
    <message>
        <source>Message</source>
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
        <source>LinksDesk — Locked</source>
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
        <source>Open a participant&apos;s record first.</source>
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
</context>
<context>
    <name>NoteEditor</name>
    <message>
        <source>Your unsaved note was kept while LinksDesk was locked; it is back in the editor.</source>
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
        <source>Revising the note of {when} (the earlier text is kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No particular contact</source>
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
        <source>Passphrase</source>
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
        <source>Recovery key</source>
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
        <source>New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the new passphrase</source>
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
        <source>This onward referral is finished ({status}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResourcesView</name>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} resources</source>
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
    <message>
        <source>Exported {n} resources.</source>
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
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
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
        <source>The two passphrases are not the same. Type the second one again.</source>
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
        <source>{n} waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} conflicts to resolve</source>
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
        <source>The door is always open: people not seen for {n} weeks or more, whom you might reach out to.</source>
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
        <source>Choose the vault file first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your passphrase.</source>
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
        <source>The two passphrases are not the same. Type the second one again.</source>
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
    <name>_Page</name>
    <message>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_VaultPathRow</name>
    <message>
        <source>Vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path of the vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
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
    <name>edit</name>
    <message>
        <source>Clear</source>
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
</context>
<context>
    <name>self.window</name>
    <message>
        <source>Back up the vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LinksDesk backups (*{suffix})</source>
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
