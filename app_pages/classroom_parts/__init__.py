"""The parts of the Classroom page (app_pages/classroom.py), one module each:

- `store_access`: the one classroom Store of the process (st.cache_resource), every call to it
  with its failure shown as plain text, and the student's seat in st.session_state;
- `teacher`: create a class; the teacher link's view (join code, tools);
- `authoring`: the teacher's "write a challenge" form, and a class's playable challenges
  (built-in and authored, each authored spec checked on load);
- `board`: the live class board (a fragment re-run every 2 s), also as a wall screen;
- `student`: join with a code and a name, the private rejoin link, the class's challenges, Start.

The challenge panel a student sees on the Playground is app_pages/playground_parts/challenge_panel.py.
"""
